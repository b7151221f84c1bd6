import os

os.environ["MLFLOW_SECRETS_AUTH_ENABLE"] = "aws-secrets-manager"
os.environ["MLFLOW_AWS_TTL_SEC"] = "0"  # a test of the clamp
