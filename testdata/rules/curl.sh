curl -u deploy:Hx7pQ2vLm9Zk https://api.example.com/v1/items  # secretlint:want curl-auth-user
curl -sS --user "ci-bot:Wq4nT8rYb2Xc3k" https://registry.example.com/v2/_catalog  # secretlint:want curl-auth-user
curl -u "$REGISTRY_USER:$REGISTRY_PASSWORD" https://registry.example.com/v2/  # secretlint:nowant curl-auth-user
curl -u elastic:changeme http://localhost:9200/  # secretlint:nowant curl-auth-user
curl --user-agent "probe:7Gd2kLq9Xw" https://example.com/  # secretlint:nowant curl-auth-user
curl -u "mlflow-user:secure-password-123" http://x/  # secretlint:nowant curl-auth-user
curl -s --user api:key-3b8e0a9d1c7f4e2a6b5d9c8e7f1a2b3c https://api.mailgun.net/v3/domains  # secretlint:want mailgun-api-key
