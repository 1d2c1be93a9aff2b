#!/usr/bin/env bash
# Sends a sample ad-platform webhook to local mode, authenticated the way that platform does it:
#   meta      X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, key: the Meta app secret>
#   google    no signature: the body's google_key must equal a google_ads connection's webhookKey
#   linkedin  X-LI-Signature: hmacsha256=<hex HMAC-SHA256 of the raw body, key: the LinkedIn client secret>
#   tiktok    X-Open-Signature: <hex HMAC-SHA256 of the raw body, key: the TikTok app secret>
# Usage: infra/local/send-webhook.sh meta|google|linkedin|tiktok [event.json] [base-url]
#        infra/local/send-webhook.sh [event.json] [base-url]          (Meta, as before)
# Secrets: $LEADSYNC_META_APP_SECRET, $LEADSYNC_LINKEDIN_CLIENT_SECRET, $LEADSYNC_TIKTOK_APP_SECRET, else local
# mode's defaults. The file's bytes are sent and signed exactly as they are.
set -euo pipefail
events="$(dirname "$0")/../events"
case "${1:-}" in
  meta|google|linkedin|tiktok) provider=$1; shift ;;
  *) provider=meta ;;
esac
case "$provider" in
  meta)     default=meta-leadgen-webhook.json;        path=meta_lead_ads ;;
  google)   default=google-ads-webhook.json;          path=google_ads ;;
  linkedin) default=linkedin-lead-notification.json;  path=linkedin_ads ;;
  tiktok)   default=tiktok-lead-webhook.json;         path=tiktok_ads ;;
esac
file=${1:-$events/$default}
base=${2:-http://localhost:8080}
[ -f "$file" ] || { echo "no such event file: $file" >&2; exit 2; }
hmac() { openssl dgst -sha256 -hmac "$1" -r < "$file" | cut -d' ' -f1; }
headers=(-H 'content-type: application/json')
case "$provider" in
  meta)     headers+=(-H "X-Hub-Signature-256: sha256=$(hmac "${LEADSYNC_META_APP_SECRET:-local-meta-app-secret}")") ;;
  linkedin) headers+=(-H "X-LI-Signature: hmacsha256=$(hmac "${LEADSYNC_LINKEDIN_CLIENT_SECRET:-local-linkedin-client-secret}")") ;;
  tiktok)   headers+=(-H "X-Open-Signature: $(hmac "${LEADSYNC_TIKTOK_APP_SECRET:-local-tiktok-app-secret}")") ;;
  google)   ;;
esac
curl -sS -w '\nHTTP %{http_code}\n' -X POST "$base/webhook/$path" "${headers[@]}" --data-binary "@$file"
