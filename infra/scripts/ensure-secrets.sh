#!/bin/sh
# Creates each generated secret only when the vault lacks it, so that a redeploy never rotates a
# secret. Runs in a deployment script, signed in as an identity that may write the vault's secrets.
# A secret deleted but still recoverable (soft delete) is recovered, keeping its old value.
# Environment: VAULT_NAME; ROLE_WAIT_SECONDS (default 600) and RETRY_SECONDS (default 10) bound
# the wait for the identity's new role assignment to take effect.
set -eu
: "${VAULT_NAME:?VAULT_NAME is required}"
deadline=$(( $(date +%s) + ${ROLE_WAIT_SECONDS:-600} ))

random_hex() { head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
# Outbound ticket credentials are the customer's own: a placeholder holds the name until they set it.
placeholder() { printf 'not-configured'; }
random_whsec() { printf 'whsec_%s' "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"; }

# Exit 0 when the secret exists, 1 when the vault says it does not. Anything else (the role
# assignment has not spread yet, throttling) is retried until the deadline, then fails the deployment.
secret_exists() {
  while :; do
    if out=$(az keyvault secret show --vault-name "$VAULT_NAME" --name "$1" --query id -o tsv 2>&1); then return 0; fi
    case "$out" in *SecretNotFound*) return 1 ;; esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "cannot read secret $1: $out" >&2
      exit 1
    fi
    sleep "${RETRY_SECONDS:-10}"
  done
}

ensure_secret() {
  if secret_exists "$1"; then
    echo "$1: kept"
    return
  fi
  # The value goes through a private file, not the command line.
  file=$(mktemp)
  chmod 600 "$file"
  "$2" > "$file"
  if out=$(az keyvault secret set --vault-name "$VAULT_NAME" --name "$1" --file "$file" --encoding utf-8 -o none 2>&1); then
    echo "$1: created"
  else
    case "$out" in
      *ObjectIsDeletedButRecoverable*)
        az keyvault secret recover --vault-name "$VAULT_NAME" --name "$1" -o none
        echo "$1: recovered" ;;
      *)
        rm -f "$file"
        echo "cannot create secret $1: $out" >&2
        exit 1 ;;
    esac
  fi
  rm -f "$file"
}

ensure_secret review-signing-key random_hex
ensure_secret webhook-secret-jira random_hex
ensure_secret webhook-secret-standard random_whsec
ensure_secret jira-api-token placeholder
ensure_secret servicenow-password placeholder
ensure_secret servicenow-client-secret placeholder
