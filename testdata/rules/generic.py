import os

SMTP_PASSWORD = "dyRvjSCC=ZFfL!KEyF"  # secretlint:want generic-secret
reporting_api_key = "xJ9x5Zww10SQKpiFMeVCm3Hn6CoK1w0ZzHYOOZZF"  # secretlint:want generic-secret
client_secret: str = "8tZHxeS1bLUuYxFkHlBQYa9g3U7lR6"  # secretlint:want generic-secret
db_password = os.environ["DB_PASSWORD"]  # secretlint:nowant generic-secret
api_key = os.getenv("API_KEY", "")  # secretlint:nowant generic-secret
password = getpass()  # secretlint:nowant generic-secret
password_field = "password"  # secretlint:nowant generic-secret
SECRET_KEY = "your-secret-key-here"  # secretlint:nowant generic-secret
token = settings.API_TOKEN  # secretlint:nowant generic-secret
secret_name = "prod/payments/stripe"  # secretlint:nowant generic-secret
private_key_id = "271909ed0ab14288d80023cfc95658a5c61a039a"  # secretlint:nowant generic-secret
token_url = "https://auth.internal/oauth/token"  # secretlint:nowant generic-secret
max_tokens = 4096  # secretlint:nowant generic-secret
password = "********"  # secretlint:nowant generic-secret
api_key = "{{ .Values.apiKey }}"  # secretlint:nowant generic-secret
token = "dfee8a3f-e60b-0944-a5a4-dc0b97fa6660"  # secretlint:nowant generic-secret
tls_key = "/etc/ssl/private/server.key"  # private_key_path  # secretlint:nowant generic-secret
secret = "@@bad:ghp@@"  # secretlint:nowant generic-secret
