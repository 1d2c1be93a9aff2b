#!/usr/bin/env bash
# A flow in local mode (start it first: ./mvnw quarkus:dev): creates an account, connects a Meta page, adds two HTTP
# CRM destinations that receive flow deliveries only (local sinks "enterprise" and "others"), and a flow that
# title-cases the first name, tags the lead, and routes it by company: "Acme" to the first, everyone else to the
# second. Tries the flow on a sample lead (nothing sent), sends the two sample Meta leads signed (companies "Acme Inc"
# and "Rossi  & Figli"), then shows what each sink received, the flow's runs, and one lead's deliveries.
set -euo pipefail
base=${1:-http://localhost:8080}
admin=${LEADSYNC_ADMIN_API_KEY:-local-admin-key}
here=$(dirname "$0")
events="$here/../events"
page=$(( 100000000000000 + RANDOM * 32768 + RANDOM ))
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
post() { curl -sS -X POST "$base$1" -H "x-api-key: $2" -H 'content-type: application/json' -d "$3"; }
created() { # created <label> <path> <key> <body>: the new id, or the API's answer and exit
  local out code
  out=$(curl -sS -w '\n%{http_code}' -X POST "$base$2" -H "x-api-key: $3" -H 'content-type: application/json' -d "$4")
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  [ "$code" = 201 ] || { echo "$1: HTTP $code $out" >&2; exit 1; }
  printf '%s' "$out" | json id
}

account=$(post /accounts "$admin" '{"name":"Flow Demo Co"}')
key=$(printf '%s' "$account" | json apiKey)
echo "account: $(printf '%s' "$account" | json accountId)  api key: $key"
created "Meta page" /connections "$key" \
  "{\"providerType\":\"meta_lead_ads\",\"externalId\":\"$page\",\"accessToken\":\"local-page-token\"}" >/dev/null
enterprise_sink=enterprise-$page
others_sink=others-$page
enterprise=$(created "enterprise destination" /crm/destinations "$key" \
  "{\"type\":\"http\",\"name\":\"Enterprise CRM\",\"receives\":\"flows\",\"config\":{\"url\":\"$base/_local/sink/$enterprise_sink\"}}")
others=$(created "others destination" /crm/destinations "$key" \
  "{\"type\":\"http\",\"name\":\"Everyone else\",\"receives\":\"flows\",\"config\":{\"url\":\"$base/_local/sink/$others_sink\"}}")
echo "destinations (flows only): $enterprise -> /_local/sink/$enterprise_sink, $others -> /_local/sink/$others_sink"

flow=$(created flow /flows "$key" "$(cat <<EOF
{"name": "Route by company", "trigger": {"providerTypes": ["meta_lead_ads"]},
 "steps": [
  {"type": "filter", "conditions": [{"field": "email", "op": "exists"}]},
  {"type": "format", "field": "firstName", "format": "title"},
  {"type": "set", "field": "customFields.source", "value": "{{providerType}} form"},
  {"type": "branch", "conditions": [{"field": "company", "op": "contains", "value": "acme"}],
   "then": [{"type": "deliver", "destinationId": "$enterprise", "fieldMapping": {"customFields.source": "source"}}],
   "else": [{"type": "deliver", "destinationId": "$others", "fieldMapping": {"customFields.source": "source"}}]}
 ]}
EOF
)")
echo "flow: $flow"
echo "an invalid edit is refused with the path of the problem:"
curl -sS -X PUT "$base/flows/$flow" -H "x-api-key: $key" -H 'content-type: application/json' \
  -d '{"name":"Broken","steps":[{"type":"filter","conditions":[{"field":"email","op":"equal","value":"x"}]}]}'
echo
echo "POST /flows/$flow/test (a sample lead; nothing is stored or sent):"
post "/flows/$flow/test" "$key" '{"lead":{"email":"ana@acme.example","firstName":"ANA","company":"Acme Ltd"}}'
echo

for lead in 1234567890123456 1234567890123457; do
  event=$(mktemp)
  sed -e "s/106842931234567/$page/g" -e "s/1234567890123456/$lead/" "$events/meta-leadgen-webhook.json" > "$event"
  echo "webhook meta (lead $lead):"
  "$here/send-webhook.sh" meta "$event" "$base"
  rm -f "$event"
done

records() { curl -sS "$base/_local/sink/$1" | { grep -cE '^  "headers" : \{' || true; }; }
for _ in $(seq 1 60); do
  [ "$(records "$enterprise_sink")" -ge 1 ] && [ "$(records "$others_sink")" -ge 1 ] && break
  sleep 1
done
sleep 2 # time for a send that should not happen to show
echo "enterprise sink: $(records "$enterprise_sink") request(s); others sink: $(records "$others_sink") request(s)"
echo "enterprise sink received:"; curl -sS "$base/_local/sink/$enterprise_sink" | grep -E '"(company|first_name|source)"' || true
echo "others sink received:"; curl -sS "$base/_local/sink/$others_sink" | grep -E '"(company|first_name|source)"' || true
echo "GET /flows/$flow/runs:"; curl -sS "$base/flows/$flow/runs" -H "x-api-key: $key"; echo
lead=$(curl -sS "$base/leads?limit=1" -H "x-api-key: $key" | json leadId | head -1)
echo "GET /leads/$lead (its deliveries name the flow and the step):"; curl -sS "$base/leads/$lead" -H "x-api-key: $key"; echo
