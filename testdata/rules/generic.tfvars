# Terraform variable values: %, ^, ~, # and * inside a quoted value are part of it.
db_password = "9OZ%f9SV^nl12RPlm."  # secretlint:want generic-secret
admin_password = "Tq~4#mB*x9Lz"  # secretlint:want generic-secret
api_token = "v8R^k2%Wq7*nZ"  # secretlint:want generic-secret
password_hint = "Ask the platform team."  # secretlint:nowant generic-secret
db_password = "change.me.later."  # secretlint:nowant generic-secret
secret_name = "prod/db/password"  # secretlint:nowant generic-secret
