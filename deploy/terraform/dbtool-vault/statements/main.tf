# Renders the statements Vault's database secrets engine runs for dbtool: Vault's own creation of a
# short-lived login, then the least-privilege grants of `dbtool grants ENGINE` (grants.tf, generated
# from the plugins' declarations, so the two cannot drift). No provider: evaluated offline, and
# tested that way (distribution's TerraformModuleIT).

variable "engine" {
  description = "postgresql, sqlserver, mariadb, snowflake or mongodb"
  type        = string

  validation {
    condition     = contains(keys(local.dbtool_grants), var.engine)
    error_message = "The engine must be one of those dbtool grants knows: postgresql, sqlserver, mariadb, snowflake, mongodb."
  }
}

variable "values" {
  description = "Values for the grants' other placeholders, as `dbtool grants ENGINE --set NAME=VALUE` takes them (Snowflake: warehouse, database)."
  type        = map(string)
  default     = {}
}

variable "member_role" {
  description = "Snowflake only: the role that holds the grants (made once with `dbtool grants snowflake --role NAME`); each Vault user is given it."
  type        = string
  default     = "DBTOOL_MONITOR"
}

locals {
  # Where the grants go to a login directly, Vault's {{name}} replaces {{role}} in each statement.
  # Snowflake grants privileges to roles only, and MongoDB's plugin takes roles as JSON: there Vault's
  # user gets the role, or the roles, that dbtool grants names.
  vault_create = {
    postgresql = ["CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'"]
    sqlserver  = ["CREATE LOGIN [{{name}}] WITH PASSWORD = '{{password}}'"]
    mariadb    = ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'"]
  }
  vault_revoke = {
    # DROP OWNED BY also revokes the function grants, which would otherwise keep DROP ROLE from working.
    postgresql = ["DROP OWNED BY \"{{name}}\"", "DROP ROLE IF EXISTS \"{{name}}\""]
    sqlserver  = [] # Vault's own default ends the login's sessions, then drops it
    mariadb    = ["DROP USER IF EXISTS '{{name}}'@'%'"]
    snowflake  = ["DROP USER IF EXISTS \"{{name}}\""]
    mongodb    = []
  }

  filled = [
    for statement in local.dbtool_grants[var.engine] :
    replace(
      replace(
        replace(statement, "{{role}}", "{{name}}"),
        "{{warehouse}}", lookup(var.values, "warehouse", "{{warehouse}}")
      ),
      "{{database}}", lookup(var.values, "database", "{{database}}")
    )
  ]

  mongodb_roles = flatten([
    for statement in local.dbtool_grants["mongodb"] : [
      for match in regexall("\\{role: \"([^\"]+)\", db: \"([^\"]+)\"\\}", statement) : { role = match[0], db = match[1] }
    ]
  ])

  creation_statements = (
    var.engine == "snowflake" ? [
      "CREATE USER \"{{name}}\" PASSWORD = '{{password}}' DAYS_TO_EXPIRY = {{expiration}} DEFAULT_ROLE = ${var.member_role}",
      "GRANT ROLE ${var.member_role} TO USER \"{{name}}\"",
      ] : var.engine == "mongodb" ? [jsonencode({ db = "admin", roles = local.mongodb_roles })] : concat(
      local.vault_create[var.engine], local.filled
    )
  )
  revocation_statements = local.vault_revoke[var.engine]
}

output "creation_statements" {
  description = "Vault's creation statements for a dbtool login on this engine."
  value       = local.creation_statements
}

output "revocation_statements" {
  description = "Vault's revocation statements for that login."
  value       = local.revocation_statements
}

output "grants" {
  description = "The grants of `dbtool grants ENGINE`, with {{role}} left for the reader (Snowflake: apply them once to member_role)."
  value       = local.dbtool_grants[var.engine]
}
