provider "aws" {
  region     = "us-west-2"
  access_key = "ASIAE3VIZU2RYAM2BA54"  # secretlint:want aws-access-key-id
  secret_key = "j50B+btzf4AGjO9OrWDbDaFlFTOhDyLhL2Z9KJnL"  # secretlint:want aws-secret-access-key
  secret_key = var.aws_secret_key  # secretlint:nowant aws-secret-access-key
}
