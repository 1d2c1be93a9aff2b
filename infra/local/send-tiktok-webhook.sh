#!/usr/bin/env bash
# Sends a TikTok lead webhook to local mode, signed like TikTok signs it:
#   X-Open-Signature: <lowercase hex HMAC-SHA256 of the raw body with the app secret>
# Usage: infra/local/send-tiktok-webhook.sh [event.json] [base-url]
# The app secret is $LEADSYNC_TIKTOK_APP_SECRET, else local mode's default (local-tiktok-app-secret).
set -euo pipefail
file=${1:-infra/events/tiktok-lead-webhook.json}
base=${2:-http://localhost:8080}
secret=${LEADSYNC_TIKTOK_APP_SECRET:-local-tiktok-app-secret}
body=$(cat "$file")
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
curl -sS -w '\nHTTP %{http_code}\n' -X POST "$base/webhook/tiktok_ads" \
  -H 'content-type: application/json' -H "X-Open-Signature: $sig" --data-binary "$body"
