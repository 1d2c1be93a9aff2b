#!/usr/bin/env bash
# Sends a Meta leadgen webhook to local mode, signed like Meta signs it:
#   X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>
# Usage: infra/local/send-webhook.sh [event.json] [base-url]
# The app secret is $LEADSYNC_META_APP_SECRET, else local mode's default (local-meta-app-secret).
set -euo pipefail
file=${1:-infra/events/meta-leadgen-webhook.json}
base=${2:-http://localhost:8080}
secret=${LEADSYNC_META_APP_SECRET:-local-meta-app-secret}
body=$(cat "$file")
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
curl -sS -w '\nHTTP %{http_code}\n' -X POST "$base/webhook/meta_lead_ads" \
  -H 'content-type: application/json' -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body"
