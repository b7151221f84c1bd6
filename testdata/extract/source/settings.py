DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": "%jCs7Mlq*M+E2T",  # secretlint:want generic-secret
        "PASSWORD_RESET_TIMEOUT": "259200",  # secretlint:nowant generic-secret
    }
}
SECRET = ("orHegm8fdcBUTzSTYZTE"  # secretlint:want generic-secret
          "hLIjAach8peXZbXlUfFW")
AWS_SECRET_ACCESS_KEY = "dBBx/KQkQHIN48FY9Tc6" + "iBFAU630sfKjymCipDRg"  # secretlint:want aws-secret-access-key
GREETING_TOKEN_HELP = ("Paste the token " "from the console")  # secretlint:nowant generic-secret
client = boto3.client("s3", aws_secret_access_key="BS/V90t2bLAGyrId4ACXfordtAAOt7k6TEKYTTBX")  # secretlint:want aws-secret-access-key
s3 = boto3.client("s3", aws_secret_access_key=os.environ["AWS_SECRET"])  # secretlint:nowant aws-secret-access-key generic-secret
