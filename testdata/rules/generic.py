import os

SMTP_PASSWORD = "6ElPC6jT=B80S!gcaB"  # secretlint:want generic-secret
reporting_api_key = "iVWwDjJFRQa8QAAqqFGYzqen61ZTLMLx4RVwKtzY"  # secretlint:want generic-secret
client_secret: str = "N3zDz7Vuh3AGrSVytyk8aetd50d0Rw"  # secretlint:want generic-secret
db_password = os.environ["DB_PASSWORD"]  # secretlint:nowant generic-secret
api_key = os.getenv("API_KEY", "")  # secretlint:nowant generic-secret
password = getpass()  # secretlint:nowant generic-secret
password_field = "password"  # secretlint:nowant generic-secret
SECRET_KEY = "your-secret-key-here"  # secretlint:nowant generic-secret
token = settings.API_TOKEN  # secretlint:nowant generic-secret
secret_name = "prod/payments/stripe"  # secretlint:nowant generic-secret
private_key_id = "a3fe60b0944a5a4dc0b97fa6660c9cbad579d73f"  # secretlint:nowant generic-secret
token_url = "https://auth.internal/oauth/token"  # secretlint:nowant generic-secret
max_tokens = 4096  # secretlint:nowant generic-secret
password = "********"  # secretlint:nowant generic-secret
api_key = "{{ .Values.apiKey }}"  # secretlint:nowant generic-secret
token = "057ec80e-6e62-f47c-4c3a-323c52801a3f"  # secretlint:nowant generic-secret
tls_key = "/etc/ssl/private/server.key"  # private_key_path  # secretlint:nowant generic-secret
secret = "@@bad:ghp@@"  # secretlint:nowant generic-secret
