resource "aws_iam_role" "serving" {
  name = "serving"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action    = "sts:AssumeRole"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::456789012345:root" } # secretlint:want iam-assume-role-no-external-id
      },
      {
        Action    = "sts:AssumeRole"
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
      },
      {
        Action    = "sts:AssumeRole"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      },
    ]
  })
}

resource "aws_iam_role_policy" "secrets" {
  name = "secrets"
  role = aws_iam_role.serving.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.mlflow_auth.arn]
      },
      {
        Effect   = "Allow"
        Action   = "secretsmanager:*" # secretlint:want iam-wildcard-secret-access
        Resource = aws_secretsmanager_secret.mlflow_auth.arn
      },
    ]
  })
}

resource "aws_iam_policy" "heredoc" {
  name   = "heredoc"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ssm:GetParametersByPath",
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": "secretsmanager:GetSecretValue",
      "Resource": "arn:aws:secretsmanager:*:${var.account_id}:secret:${var.prefix}*"
    }
  ]
}
EOT
}

data "aws_iam_policy_document" "doc" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:team/db*"] # secretlint:want iam-secret-arn-prefix-wildcard
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["567890123456"] # secretlint:want iam-assume-role-no-external-id
    }
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::567890123456:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.external_id]
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals { # secretlint:want iam-principal-wildcard
      type        = "*"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "dynamic" {
  dynamic "statement" {
    for_each = var.enabled ? [1] : []
    content {
      actions   = ["kms:Decrypt"]
      resources = ["*"] # secretlint:want iam-wildcard-secret-access
    }
  }
  dynamic "statement" {
    for_each = var.key_arns
    content {
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}
