#!/usr/bin/env bash
set -euo pipefail
# Plain shell variables reach no process: not part of the environment.
MLFLOW_VAULT_TTL_SEC=0
set -a
MLFLOW_SECRETS_AUTH_ENABLE=vault
MLFLOW_SECRETS_ALLOWED_HOSTS=""   # secretlint:want mlflow-allowed-hosts
set +a
AWS_ACCESS_KEY_ID=fixture-access-key-id   # secretlint:want mlflow-static-aws-keys
export AWS_ACCESS_KEY_ID   # exported here, reported where it is set (line 9)
declare -x MLFLOW_AZURE_TTL_SEC=90000   # secretlint:want mlflow-ttl
MLFLOW_GCP_TTL_SEC=soon mlflow server --host 0.0.0.0   # secretlint:want mlflow-ttl
env MLFLOW_AWS_TTL_SEC=-5 python train.py   # secretlint:want mlflow-ttl
export HF_TOKEN="$(cat /run/secrets/hf_token)"
