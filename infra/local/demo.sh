#!/usr/bin/env bash
# Walks the local pipeline end to end (start local mode first: ./mvnw quarkus:dev):
# creates an account, connects a Meta page, adds a HubSpot destination (local fake), a custom HTTP CRM and a
# webhook subscriber (local sinks), sends the sample leadgen webhook signed, and shows the lead.
set -euo pipefail
base=${1:-http://localhost:8080}
admin=${LEADSYNC_ADMIN_API_KEY:-local-admin-key}
page=$(( 100000000000000 + RANDOM * 32768 + RANDOM ))
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
post() { curl -sS -X POST "$base$1" -H "x-api-key: $2" -H 'content-type: application/json' -d "$3"; }

account=$(post /accounts "$admin" '{"name":"Demo Co"}')
key=$(printf '%s' "$account" | json apiKey)
echo "account: $(printf '%s' "$account" | json accountId)  api key: $key"
post /connections "$key" "{\"providerType\":\"meta_lead_ads\",\"externalId\":\"$page\",\"accessToken\":\"local-page-token\"}" >/dev/null
post /crm/destinations "$key" '{"type":"hubspot","name":"HubSpot (local fake)","config":{"accessToken":"pat-local"}}' >/dev/null
post /crm/destinations "$key" "{\"type\":\"http\",\"name\":\"Custom CRM\",\"config\":{\"url\":\"$base/_local/sink/crm\"},\"fieldMapping\":{\"customFields.what_is_your_monthly_budget?\":\"budget\"}}" >/dev/null
post /webhooks/meta_lead_ads/subscribe "$key" "{\"callbackUrl\":\"$base/_local/sink/subscriber\",\"eventType\":\"leadgen\",\"callbackSecret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}" >/dev/null
echo "connected page $page; destinations: HubSpot, custom CRM; subscriber: $base/_local/sink/subscriber"

event=$(mktemp)
sed "s/106842931234567/$page/g" "$(dirname "$0")/../events/meta-leadgen-webhook.json" > "$event"
"$(dirname "$0")/send-webhook.sh" "$event" "$base"
rm -f "$event"

for _ in $(seq 1 30); do
  leads=$(curl -sS "$base/leads" -H "x-api-key: $key")
  if printf '%s' "$leads" | grep -q '"status":"delivered".*"status":"delivered".*"status":"delivered"'; then
    break
  fi
  sleep 1
done
echo "GET /leads:"; printf '%s\n' "$leads"
echo "the subscriber received: curl $base/_local/sink/subscriber ; the custom CRM: curl $base/_local/sink/crm"
