#!/bin/sh
export MLFLOW_SECRETS_AUTH_ENABLE="aws-secrets-manager
