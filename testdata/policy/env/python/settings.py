import os

os.environ["MLFLOW_SECRETS_AUTH_ENABLE"] = "aws-secrets-manager"   # the process inherits the rest of its environment
os.environ["MLFLOW_SECRETS_ALLOWED_HOSTS"] = "mlflow.company.com,*"   # secretlint:want mlflow-allowed-hosts
os.environ['AWS_SECRET_ACCESS_KEY'] = 'fixture/secret+access/key0123456789abcd'   # secretlint:want mlflow-static-aws-keys
os.environ.setdefault("MLFLOW_AWS_TTL_SEC", "0")   # secretlint:want mlflow-ttl
if os.environ["MLFLOW_VAULT_TTL_SEC"] == "0":
    pass
# os.environ["MLFLOW_GCP_TTL_SEC"] = "0" is a comment
