#!/bin/sh
# Settings for the MLflow client on the training hosts.
export MLFLOW_TRACKING_URI="https://mlflow.company.com"
export MLFLOW_SECRETS_AUTH_ENABLE="aws-secrets-manager"   # secretlint:want mlflow-allowed-hosts
export AWS_ACCESS_KEY_ID="fixture-access-key-id"   # secretlint:want mlflow-static-aws-keys
export AWS_SECRET_ACCESS_KEY="fixture/secret+access/key0123456789abcd"   # secretlint:want mlflow-static-aws-keys
export MLFLOW_AWS_TTL_SEC="0"   # secretlint:want mlflow-ttl
