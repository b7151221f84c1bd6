#!/bin/sh
# The hosts may come from the sourced file: an open set.
. ./common.sh
export MLFLOW_SECRETS_AUTH_ENABLE=aws-secrets-manager
