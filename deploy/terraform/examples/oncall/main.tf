# An example: dbtool for the orders PostgreSQL, readable by the on-call DBAs through Kerberos (Linux
# jump hosts) or AD (Windows). `terraform init` needs the hashicorp/vault provider from your mirror.

module "dbtool_vault" {
  source = "../../dbtool-vault"

  engine          = "postgresql"
  connection_name = "orders"
  role_name       = "dbtool-orders"
  default_ttl     = 300
  kerberos_groups = ["dba-oncall"]
  ldap_groups     = ["DBA-OnCall"]
}

output "dbtool_secret" {
  value = module.dbtool_vault.creds_path
}
