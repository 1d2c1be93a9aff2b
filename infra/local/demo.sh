#!/usr/bin/env bash
# Walks the local pipeline end to end (start local mode first: ./mvnw quarkus:dev):
# creates an account, adds HubSpot, Salesforce, Zoho CRM and Pipedrive destinations (local fakes, by token), a custom
# HTTP CRM and a webhook subscriber (local sinks), connects a Meta page, a Google Ads customer, a LinkedIn ad account and a TikTok advertiser with the local
# fakes' tokens, sends each platform's sample webhook signed, presses sync on each connection, and shows the leads.
# A platform whose connection local mode refuses (e.g. its source is not in this build) is reported and skipped.
set -euo pipefail
base=${1:-http://localhost:8080}
admin=${LEADSYNC_ADMIN_API_KEY:-local-admin-key}
here=$(dirname "$0")
events="$here/../events"
# Fresh provider-side ids each run: an id (and a Google webhook key) can be connected only once.
page=$(( 100000000000000 + RANDOM * 32768 + RANDOM ))
customer=$(( 1000000000 + RANDOM * 32768 + RANDOM ))
sponsored=$(( 500000000 + RANDOM * 32768 + RANDOM ))
advertiser=70$(printf '%05d%05d%05d%02d' $RANDOM $RANDOM $RANDOM $(( RANDOM % 100 )))
webhook_key=local-google-webhook-key-$RANDOM$RANDOM
# This run's sinks, so that what they show is this run's only.
crm_sink=crm-$page
subscriber_sink=subscriber-$page
in_hours() { date -u -d "+$1 hours" +%FT%TZ 2>/dev/null || date -u -v+"$1"H +%FT%TZ; }
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
matches() { grep -oE "$1" || true; }
post() { curl -sS -X POST "$base$1" -H "x-api-key: $2" -H 'content-type: application/json' -d "$3"; }

account=$(post /accounts "$admin" '{"name":"Demo Co"}')
key=$(printf '%s' "$account" | json apiKey)
echo "account: $(printf '%s' "$account" | json accountId)  api key: $key"
post /crm/destinations "$key" '{"type":"hubspot","name":"HubSpot (local fake)","config":{"accessToken":"pat-local","leadIdProperty":"leadsync_lead_id"}}' >/dev/null
post /crm/destinations "$key" "{\"type\":\"salesforce\",\"name\":\"Salesforce (local fake)\",\"config\":{\"instanceUrl\":\"$base/_local/salesforce\",\"loginUrl\":\"$base/_local/salesforce\",\"accessToken\":\"local-salesforce-token\",\"refreshToken\":\"local-salesforce-refresh-token\"}}" >/dev/null
post /crm/destinations "$key" "{\"type\":\"zoho\",\"name\":\"Zoho CRM (local fake)\",\"config\":{\"apiDomain\":\"$base/_local/zoho\",\"accountsServer\":\"$base/_local/zoho\",\"accessToken\":\"local-zoho-token\",\"refreshToken\":\"local-zoho-refresh-token\",\"leadIdField\":\"LeadSync_Lead_Id\"}}" >/dev/null
post /crm/destinations "$key" '{"type":"pipedrive","name":"Pipedrive (local fake)","config":{"apiToken":"local-pipedrive-token"}}' >/dev/null
post /crm/destinations "$key" "{\"type\":\"http\",\"name\":\"Custom CRM\",\"config\":{\"url\":\"$base/_local/sink/$crm_sink\"},\"fieldMapping\":{\"customFields.what_is_your_monthly_budget?\":\"budget\"}}" >/dev/null
for provider in meta_lead_ads google_ads linkedin_ads tiktok_ads; do
  post "/webhooks/$provider/subscribe" "$key" "{\"callbackUrl\":\"$base/_local/sink/$subscriber_sink\",\"eventType\":\"leadgen\",\"callbackSecret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}" >/dev/null
done
echo "destinations: HubSpot, Salesforce, Zoho CRM, Pipedrive, custom CRM; subscriber (every provider): $base/_local/sink/$subscriber_sink"

# connect <label> <body>: prints the connection id, or nothing (and why on stderr) when refused.
connect() {
  local out code
  out=$(curl -sS -w '\n%{http_code}' -X POST "$base/connections" -H "x-api-key: $key" \
    -H 'content-type: application/json' -d "$2")
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  if [ "$code" = 201 ]; then
    printf '%s' "$out" | json id
  else
    echo "$1: not connected (HTTP $code: $out); skipping its webhook and sync" >&2
  fi
}
meta=$(connect "Meta page $page" "{\"providerType\":\"meta_lead_ads\",\"externalId\":\"$page\",\"accessToken\":\"local-page-token\"}")
google=$(connect "Google Ads customer $customer" "{\"providerType\":\"google_ads\",\"externalId\":\"$customer\",\"accessToken\":\"local-google-token\",\"refreshToken\":\"local-google-refresh-token\",\"expiresAt\":\"$(in_hours 1)\",\"config\":{\"webhookKey\":\"$webhook_key\"}}")
linkedin=$(connect "LinkedIn ad account $sponsored" "{\"providerType\":\"linkedin_ads\",\"externalId\":\"$sponsored\",\"accessToken\":\"local-linkedin-token\",\"refreshToken\":\"local-linkedin-refresh-token\",\"expiresAt\":\"$(in_hours 1440)\"}")
tiktok=$(connect "TikTok advertiser $advertiser" "{\"providerType\":\"tiktok_ads\",\"externalId\":\"$advertiser\",\"accessToken\":\"local-tiktok-token\"}")
echo "connected: ${meta:+Meta page $page ($meta)} ${google:+Google customer $customer ($google)} ${linkedin:+LinkedIn account $sponsored ($linkedin)} ${tiktok:+TikTok advertiser $advertiser ($tiktok)}"

# send <provider> <sample> <sed script>: the sample rewritten for this run's ids, sent signed.
send() {
  local event
  event=$(mktemp)
  sed "$3" "$events/$2" > "$event"
  echo "webhook $1:"
  "$here/send-webhook.sh" "$1" "$event" "$base"
  rm -f "$event"
}
[ -n "$meta" ] && send meta meta-leadgen-webhook.json "s/106842931234567/$page/g"
[ -n "$google" ] && send google google-ads-webhook.json "s/local-google-webhook-key/$webhook_key/"
[ -n "$linkedin" ] && send linkedin linkedin-lead-notification.json "s/sponsoredAccount:508915158/sponsoredAccount:$sponsored/"
[ -n "$tiktok" ] && send tiktok tiktok-lead-webhook.json "s/7012345678901234567/$advertiser/g"

for id in $meta $google $linkedin $tiktok; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$base/connections/$id/sync" -H "x-api-key: $key")
  echo "sync $id: HTTP $code$([ "$code" = 202 ] || echo ' (sync not available in this build?)')"
done

# Until no lead or delivery is in flight and the number of leads stopped growing (polls run in the background).
count=-1
stable=0
for _ in $(seq 1 90); do
  leads=$(curl -sS "$base/leads?limit=200" -H "x-api-key: $key")
  now=$(printf '%s' "$leads" | matches '"leadId"' | wc -l)
  busy=$(printf '%s' "$leads" | matches '"status":"(received|stored|pending|retrying)"' | wc -l)
  if [ "$now" -gt 0 ] && [ "$busy" -eq 0 ] && [ "$now" -eq "$count" ]; then
    stable=$(( stable + 1 ))
    [ "$stable" -ge 3 ] && break
  else
    stable=0
  fi
  count=$now
  sleep 1
done
echo "GET /leads:"; printf '%s\n' "$leads"
echo "leads by provider:"; printf '%s' "$leads" | matches '"providerType":"[a-z_]*"' | sort | uniq -c
# A sink shows one pretty-printed record per request received: count the records, and the leads they carry.
records() { curl -sS "$base/_local/sink/$1" | { grep -cE '^  "headers" : \{' || true; }; }
forwarded=$(curl -sS "$base/_local/sink/$subscriber_sink" | matches '"leadId" : "[^"]*"' | sort -u | wc -l)
echo "leads: $count; the subscriber received $(records "$subscriber_sink") forwards of $forwarded leads; the custom CRM received $(records "$crm_sink") requests"
echo "the subscriber received: curl $base/_local/sink/$subscriber_sink ; the custom CRM: curl $base/_local/sink/$crm_sink"

# Each CRM fake holds what every run sent it: count the mentions of this run's lead ids (one record per lead,
# once each, is one mention per lead). HubSpot's is a log of requests (a re-sent upsert shows there twice; its
# trace id names the lead too, so only the lead id property counts). Zoho upserts by email: leads sharing an
# email are one record, which names the last of them.
ids=$(printf '%s' "$leads" | matches '"leadId":"[^"]*"' | sed 's/.*:"\(.*\)"/\1/' | sort -u)
in_crm() {
  local prefix=$1 body n=0
  shift
  body=$(curl -sS "$@")
  for id in $ids; do
    n=$(( n + $(printf '%s' "$body" | grep -oE "$prefix$id" | wc -l) ))
  done
  echo "$n"
}
emails=$(printf '%s' "$leads" | matches '"email":"[^"]*"' | sort -u | wc -l)
echo "of this run's $(printf '%s\n' $ids | grep -c . || true) leads: HubSpot holds" \
  "$(in_crm '"leadsync_lead_id" : "' "$base/_local/sink/hubspot")," \
  "Salesforce $(in_crm '' "$base/_local/salesforce/leads")," \
  "Zoho CRM $(in_crm '' "$base/_local/zoho/crm/v8/Leads" -H 'Authorization: Zoho-oauthtoken local-zoho-token')" \
  "(one per email: $emails)," \
  "Pipedrive $(in_crm '' "$base/_local/pipedrive/v1/leads" -H 'x-api-token: local-pipedrive-token')"
echo "duplicates would show as more records than leads: curl $base/_local/salesforce/leads (Salesforce), $base/_local/pipedrive/v1/leads (Pipedrive, x-api-token)"
