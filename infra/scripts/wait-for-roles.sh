#!/bin/sh
# Waits until the app's identity can use what the Functions host needs when it starts: the
# deployment container (Flex pulls the package from it), the host's queues, and the Key Vault
# secret its settings reference. New role assignments can take minutes to take effect; the
# function app is created only after this succeeds. Runs in a deployment script as the app's
# identity and only reads.
# Environment: STORAGE_ACCOUNT, CONTAINER, QUEUE, SECRET_URI; ROLE_WAIT_SECONDS (default 900)
# and RETRY_SECONDS (default 15).
set -eu
: "${STORAGE_ACCOUNT:?}" "${CONTAINER:?}" "${QUEUE:?}" "${SECRET_URI:?}"
deadline=$(( $(date +%s) + ${ROLE_WAIT_SECONDS:-900} ))

wait_for() {
  what=$1
  shift
  until out=$("$@" 2>&1); do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "the app's identity still cannot use $what: $out" >&2
      exit 1
    fi
    sleep "${RETRY_SECONDS:-15}"
  done
  echo "$what: ready"
}

wait_for "blob container $CONTAINER" az storage blob list --auth-mode login --account-name "$STORAGE_ACCOUNT" --container-name "$CONTAINER" --num-results 1 -o none
wait_for "queue $QUEUE" az storage message peek --auth-mode login --account-name "$STORAGE_ACCOUNT" --queue-name "$QUEUE" -o none
wait_for "Key Vault secret" az keyvault secret show --id "$SECRET_URI" --query id -o none
