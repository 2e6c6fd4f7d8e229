#!/usr/bin/env bash
# Prepares a running demo server for a verify API load run: signs in as
# each demo resident, issues PER_RESIDENT bank e-documents for each, and
# writes their QR texts, one per line, to OUT. Prints the demo bank's API
# key. The server must run with --demo and an -attestation-cap and
# -attestation-daily-limit of at least PER_RESIDENT.
#
#   cmd/fprlink-load/wrk/prepare.sh http://127.0.0.1:8080 data/demo-postgres.json 64 qr.txt
set -euo pipefail
base="$1" demo="$2" per="${3:-64}" out="${4:-qr.txt}"
: >"$out"
for user in $(jq -r '.accounts[] | select(.role == "resident") | .username' "$demo"); do
  pass=$(jq -r --arg u "$user" '.accounts[] | select(.username == $u) | .password' "$demo")
  token=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$pass\"}" | jq -r .token)
  for _ in $(seq 1 "$per"); do
    # A resident whose documents do not allow a bank e-document is skipped.
    if ! doc=$(curl -sf "$base/api/v1/me/attestations" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d '{"purpose":"bank"}'); then
      echo "prepare.sh: $user cannot be issued a bank e-document; skipped" >&2
      break
    fi
    jq -r .qr_text <<<"$doc" >>"$out"
  done
done
jq -r '.relying_parties[] | select(.sector == "bank") | .api_key' "$demo"
