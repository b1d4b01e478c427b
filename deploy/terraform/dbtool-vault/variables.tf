variable "engine" {
  description = "The database engine of the connection: postgresql, sqlserver, mariadb, snowflake or mongodb."
  type        = string
  default     = "postgresql"
}

variable "database_mount" {
  description = "Path of the database secrets engine mount that holds the connection."
  type        = string
  default     = "database"
}

variable "connection_name" {
  description = "The connection (vault_database_secret_backend_connection) whose database dbtool diagnoses."
  type        = string
}

variable "role_name" {
  description = "The Vault role: dbtool's targets read database/creds/<role_name> (\"auth\": {\"method\": \"vault\", \"secret\": \"database/creds/<role_name>\"})."
  type        = string
  default     = "dbtool"
}

variable "default_ttl" {
  description = "Lease TTL in seconds. dbtool revokes its lease when a command ends; the TTL bounds a crash."
  type        = number
  default     = 300
}

variable "max_ttl" {
  description = "Longest lease in seconds (dbtool serve reads new credentials for every run)."
  type        = number
  default     = 3600
}

variable "grant_values" {
  description = "Values for the grants' placeholders (Snowflake: warehouse, database), as `dbtool grants --set`."
  type        = map(string)
  default     = {}
}

variable "snowflake_member_role" {
  description = "Snowflake only: the role that holds dbtool's grants, made once with `dbtool grants snowflake --role <this>`."
  type        = string
  default     = "DBTOOL_MONITOR"
}

variable "policy_name" {
  description = "Name of the policy that lets the on-call group read the credentials."
  type        = string
  default     = "dbtool-oncall"
}

variable "kerberos_mount" {
  description = "Path of the Kerberos auth mount (dbtool's default login on Linux); null to leave it alone."
  type        = string
  default     = "kerberos"
}

variable "kerberos_groups" {
  description = "Directory groups (as the Kerberos auth mount's LDAP lookup names them) that get the policy."
  type        = list(string)
  default     = []
}

variable "ldap_mount" {
  description = "Path of the LDAP auth mount (AD login from Windows or without a ticket); null to leave it alone."
  type        = string
  default     = "ldap"
}

variable "ldap_groups" {
  description = "LDAP/AD groups that get the policy."
  type        = list(string)
  default     = []
}
