class Settings:
    """Settings read from the environment.

    MLFLOW_SECRETS_ALLOWED_HOSTS: Comma-separated host allowlist.  # secretlint:nowant generic-secret
    MLFLOW_SECRETS_AUTH_TOKEN: Bearer-token passed to the tracking server.  # secretlint:nowant generic-secret
    """

    secret_token = "Zt8qLw3Nx7Rk2Vp9Hm4S"  # secretlint:want generic-secret
