db_password = "9OZ%f9SV^nl12RPlm."  # secretlint:want generic-secret
admin_password = "AYcrZNDED8~#*"  # secretlint:want generic-secret
db_password_ssm_path = "/prod/db/password"  # secretlint:nowant generic-secret
secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-*"  # secretlint:nowant generic-secret
