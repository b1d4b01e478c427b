output "creds_path" {
  description = "What dbtool targets name as their secret: \"auth\": {\"method\": \"vault\", \"secret\": <this>}."
  value       = "${var.database_mount}/creds/${vault_database_secret_backend_role.dbtool.name}"
}

output "policy" {
  description = "The on-call policy's name."
  value       = vault_policy.oncall.name
}

output "creation_statements" {
  description = "The statements Vault runs for each lease (for review)."
  value       = module.statements.creation_statements
}
