# Vault for dbtool: a database secrets engine role whose creation statements make a short-lived login
# with exactly the grants of `dbtool grants ENGINE`, a policy that lets the on-call group read it and
# revoke its leases, and the Kerberos and LDAP auth mounts' group mappings to that policy.
# The mounts and the connection exist already (they belong to whoever runs Vault).

module "statements" {
  source = "./statements"

  engine      = var.engine
  values      = var.grant_values
  member_role = var.snowflake_member_role
}

resource "vault_database_secret_backend_role" "dbtool" {
  backend               = var.database_mount
  name                  = var.role_name
  db_name               = var.connection_name
  creation_statements   = module.statements.creation_statements
  revocation_statements = module.statements.revocation_statements
  default_ttl           = var.default_ttl
  max_ttl               = var.max_ttl
}

resource "vault_policy" "oncall" {
  name = var.policy_name

  policy = <<-EOT
    # dbtool: dynamic database credentials for diagnosis (read-only grants, short TTL)
    path "${var.database_mount}/creds/${var.role_name}" {
      capabilities = ["read"]
    }

    # dbtool revokes its lease when a command ends (POST sys/leases/revoke with the lease id)
    path "sys/leases/revoke" {
      capabilities = ["update"]
    }
  EOT
}

# The Kerberos plugin maps directory groups to policies under auth/<mount>/groups/<name>; the provider
# has no resource of its own for it.
resource "vault_generic_endpoint" "kerberos_group" {
  for_each = var.kerberos_mount == null ? toset([]) : toset(var.kerberos_groups)

  path                 = "auth/${var.kerberos_mount}/groups/${each.value}"
  ignore_absent_fields = true
  data_json            = jsonencode({ policies = [vault_policy.oncall.name] })
}

resource "vault_ldap_auth_backend_group" "oncall" {
  for_each = var.ldap_mount == null ? toset([]) : toset(var.ldap_groups)

  backend   = var.ldap_mount
  groupname = each.value
  policies  = [vault_policy.oncall.name]
}
