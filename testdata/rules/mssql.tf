# gitleaks' hashicorp-tf-password has no rule of its own: generic-secret
# reports a password literal in Terraform.
resource "azurerm_mssql_server" "main" {
  name                         = "sql-main"
  administrator_login          = "sqladmin"
  administrator_login_password = "0WHhOZ2BLE8Hzxvn"  # secretlint:want generic-secret
}

resource "azurerm_mssql_server" "replica" {
  administrator_login_password = var.sql_admin_password  # secretlint:nowant generic-secret
}
