resource "aws_ecs_task_definition" "trainer" {
  family = "trainer"
  container_definitions = jsonencode([
    {
      name  = "trainer"
      image = "registry.example.com/trainer:1"
      environment = [
        { name = "MLFLOW_SECRETS_AUTH_ENABLE", value = "aws-secrets-manager" },
        { name = "MLFLOW_SECRETS_ALLOWED_HOSTS", value = "*" }, # secretlint:want mlflow-allowed-hosts
        { name = "MLFLOW_AWS_TTL_SEC", value = "900" },
      ]
    }
  ])
}

resource "aws_ecs_task_definition" "heredoc" {
  family                = "heredoc"
  container_definitions = <<EOT
[
  {
    "name": "server",
    "environment": [
      {"name": "MLFLOW_SECRETS_AUTH_ENABLE", "value": "aws-secrets-manager"}
    ]
  }
]
EOT
}
