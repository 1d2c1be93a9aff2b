#!/usr/bin/env bash
# Bulk import in local mode, watched (start local mode first: ./mvnw quarkus:dev, or the packaged jar, see README):
# connects a Meta page with the local Graph fake's token unless the account has one, imports the generated demo form
# (infra/events/graph/forms/987654321099001.json: 10,000 leads, one page of 100 every quarter second or so), and
# prints the job's progress until it ends. Kill local mode meanwhile (kill -9) and start it again on the same data
# dir: this keeps watching, and the job goes on from its last recorded page and completes with exact counts.
# Usage: infra/local/import-demo.sh [base-url]
# Env:   LEADSYNC_API_KEY      an account's API key (default: a new account)
#        LEADSYNC_IMPORT_JOB   watch this job (of LEADSYNC_API_KEY's account) instead of starting one
#        LEADSYNC_IMPORT_FORM  the Meta form to import (default: the generated demo form)
set -euo pipefail
base=${1:-http://localhost:8080}
admin=${LEADSYNC_ADMIN_API_KEY:-local-admin-key}
here=$(dirname "$0")
form=${LEADSYNC_IMPORT_FORM:-987654321099001}
key=${LEADSYNC_API_KEY:-}
job=${LEADSYNC_IMPORT_JOB:-}
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
num() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p"; }
# request <method> <path> <key> [body]: the answer's body, then its HTTP status on a line of its own (000: none).
request() {
  local args=(-sS -m 10 -w '\n%{http_code}' -X "$1" "$base$2" -H "x-api-key: $3")
  [ $# -ge 4 ] && args+=(-H 'content-type: application/json' -d "$4")
  curl "${args[@]}" 2>/dev/null || true
}
body() { printf '%s' "${1%$'\n'*}"; }
code() { local c=${1##*$'\n'}; printf '%s' "${c:-000}"; }
fail() { echo "$1 (HTTP $(code "$2"): $(body "$2"))" >&2; exit 1; }

if [ -z "$job" ]; then
  if [ -z "$key" ]; then
    r=$(request POST /accounts "$admin" '{"name":"Import demo"}')
    [ "$(code "$r")" = 201 ] || fail "could not create an account at $base (is local mode running?)" "$r"
    key=$(body "$r" | json apiKey)
    echo "account: $(body "$r" | json accountId)  api key: $key"
  fi
  r=$(request GET /connections "$key")
  [ "$(code "$r")" = 200 ] || fail "could not list the account's connections" "$r"
  if ! body "$r" | grep -q '"providerType":"meta_lead_ads"'; then
    # A fresh page id each run: a page can be connected only once.
    page=$(( 100000000000000 + RANDOM * 32768 + RANDOM ))
    r=$(request POST /connections "$key" "{\"providerType\":\"meta_lead_ads\",\"externalId\":\"$page\",\"accessToken\":\"local-page-token\"}")
    [ "$(code "$r")" = 201 ] || fail "could not connect Meta page $page" "$r"
    echo "connected Meta page $page (local Graph fake): $(body "$r" | json id)"
  fi
  r=$(request POST /leads/import "$key" "{\"providerType\":\"meta_lead_ads\",\"formId\":\"$form\"}")
  case "$(code "$r")" in
    202) job=$(body "$r" | json jobId) ;;
    409) job=$(body "$r" | grep -oE 'imp_[0-9a-f]+' | head -1)
         echo "an import of form $form is already queued or running: watching it" ;;
    *) fail "the import was refused" "$r" ;;
  esac
fi

formFile="$here/../events/graph/forms/$form.json"
expected=$( [ -f "$formFile" ] && sed -n 's/.*"count": *\([0-9][0-9]*\).*/\1/p' "$formFile" | head -1 || true)
echo "import $job of Meta form $form${expected:+ ($expected generated leads)}"
echo "  its state: curl -s $base/leads/import/$job -H 'x-api-key: $key'"
echo "  kill local mode meanwhile (kill -9) and start it again: this keeps watching"
last=""
down=0
status=""
while :; do
  r=$(request GET "/leads/import/$job" "$key")
  case "$(code "$r")" in
    200)
      b=$(body "$r")
      [ "$down" = 1 ] && echo "$(date +%T) local mode answers again"
      down=0
      status=$(printf '%s' "$b" | json status)
      line="status=$status pagesFetched=$(printf '%s' "$b" | num pagesFetched) leadsSeen=$(printf '%s' "$b" | num leadsSeen)"
      line+=" leadsNew=$(printf '%s' "$b" | num leadsNew) duplicates=$(printf '%s' "$b" | num duplicates)"
      line+=" errors=$(printf '%s' "$b" | num errors)"
      paused=$(printf '%s' "$b" | json pausedUntil)
      [ -n "$paused" ] && line+=" pausedUntil=$paused ($(printf '%s' "$b" | json lastError))"
      [ "$line" != "$last" ] && echo "$(date +%T) $line"
      last=$line
      case "$status" in completed|failed|cancelled) break ;; esac
      ;;
    000)
      if [ "$down" = 0 ]; then
        echo "$(date +%T) local mode does not answer at $base: start it again on the same data dir. The page that was"
        echo "         in progress is done again once its message's visibility timeout is over (the import queue's:"
        echo "         6 minutes; LEADSYNC_LOCAL_VISIBILITY_TIMEOUT=30 LEADSYNC_IMPORT_LEASE=20s"
        echo "         LEADSYNC_PIPELINE_LEASE=25s make it 30 s, for a demo only)"
      fi
      down=1
      ;;
    *) fail "could not read import $job" "$r" ;;
  esac
  sleep 1
done
if [ "$status" = completed ]; then
  seen=$(printf '%s' "$b" | num leadsSeen)
  [ -n "$expected" ] && [ "$seen" != "$expected" ] && echo "note: the form generates $expected leads, the job saw $seen (a since/until window, or another form file?)"
  echo "the imported leads go on through normalize, dedup, store, deliver in the background:"
  echo "  curl -s '$base/leads?limit=5' -H 'x-api-key: $key'"
  exit 0
fi
echo "the import ended $status: $(printf '%s' "$b" | json lastError)" >&2
exit 1
