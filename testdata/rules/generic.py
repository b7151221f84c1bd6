import os

SMTP_PASSWORD = "ULuoQzXN=UKYa!YMy2"  # secretlint:want generic-secret
reporting_api_key = "HrULAdyRvjSCCZFfLKEyFxJ9x5Zww10SQKpiFMeV"  # secretlint:want generic-secret
client_secret: str = "Cm3Hn6CoK1w0ZzHYOOZZF8tZHxeS1b"  # secretlint:want generic-secret
db_password = os.environ["DB_PASSWORD"]  # secretlint:nowant generic-secret
api_key = os.getenv("API_KEY", "")  # secretlint:nowant generic-secret
password = getpass()  # secretlint:nowant generic-secret
password_field = "password"  # secretlint:nowant generic-secret
SECRET_KEY = "your-secret-key-here"  # secretlint:nowant generic-secret
token = settings.API_TOKEN  # secretlint:nowant generic-secret
secret_name = "prod/payments/stripe"  # secretlint:nowant generic-secret
private_key_id = "5ac2308cda8271909ed0ab14288d80023cfc9565"  # secretlint:nowant generic-secret
token_url = "https://auth.internal/oauth/token"  # secretlint:nowant generic-secret
max_tokens = 4096  # secretlint:nowant generic-secret
password = "********"  # secretlint:nowant generic-secret
api_key = "{{ .Values.apiKey }}"  # secretlint:nowant generic-secret
token = "8a5c61a0-39ad-fee8-a3fe-60b0944a5a4d"  # secretlint:nowant generic-secret
tls_key = "/etc/ssl/private/server.key"  # private_key_path  # secretlint:nowant generic-secret
secret = "@@bad:ghp@@"  # secretlint:nowant generic-secret
token = res+prefix+(x)  # secretlint:nowant generic-secret
token_help = "Base64-encoded."  # secretlint:nowant generic-secret
secret_arg = "my\-group\-key"  # secretlint:nowant generic-secret
token_pattern = "qr/[\x21\x23-\x27]+/"  # secretlint:nowant generic-secret
ssh_key_fingerprint = "51:C4:0C:6D:7E:A5:6C:D8:8F:B4"  # secretlint:nowant generic-secret
secret_key_ring = "projects/PROJECT_ID/locations/global/keyRings/ring1"  # secretlint:nowant generic-secret
secret_glob = "projects/*/secrets/*"  # secretlint:nowant generic-secret
token_expr = "0;for(let"  # secretlint:nowant generic-secret
password = "Zr4!qm9TxL2w"  # secretlint:want generic-secret
DATABASES = {
    "default": {
        "PASSWORD": "%jCs7Mlq*M+E2T",  # secretlint:want generic-secret
        "USER_PASSWORD_FORMAT": "%s:%s",  # secretlint:nowant generic-secret
    }
}
log_token = "%d tokens left"  # secretlint:nowant generic-secret
mock_repository_auth_token = "YWJjOjEyMw=="  # secretlint:nowant generic-secret
registry_password = "-Hq7TzW2mXkP9vLc4RnB8sYd"  # secretlint:want generic-secret
TOKENIZER = "sentence-transformers/all-MiniLM-L6-v2"  # secretlint:nowant generic-secret
tokenizer_name = "Qwen/Qwen2.5-7B-Instruct-AWQ-v3"  # secretlint:nowant generic-secret
MINIO_ROOT_PASSWORD = "rootpass123"  # secretlint:nowant generic-secret
PGPASSWORD = "devstackpostgres123"  # secretlint:nowant generic-secret
PLUGINS = [("airflow_s3_key_sensor", ".airflow.sensors.S3KeySensorDecorator")]  # secretlint:nowant generic-secret
DEFAULT_KEYWORD_CHARS = alphanums+"_$"  # secretlint:nowant generic-secret
trigger = dict(data_key="body.payload.%s" % v)  # secretlint:nowant generic-secret
secret_ref: IoK8sApiCoreV1LocalObjectReference = Field(description="a reference")  # secretlint:nowant generic-secret
credSourceEc2Metadata_secret = "Ec2InstanceMetadata"  # secretlint:nowant generic-secret
deps = ["k8s.io/api/core/v1.Secret", "k8s.io/apimachinery/pkg/apis/meta/v1.ListMeta"]  # secretlint:nowant generic-secret
credential_spec_registry = r"SOFTWARE\Microsoft\Windows"  # secretlint:nowant generic-secret
token_is_unterminated = !commentClosed  # secretlint:nowant generic-secret
