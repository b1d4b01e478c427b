locals {
  dbtool_grants = {
    postgresql = [
      # why
      "GRANT pg_monitor TO \"{{role}}\"",
    ]
    mongodb = [
      "db.getSiblingDB(\"admin\").grantRolesToUser(\"{{role}}\", [{role: \"clusterMonitor\", db: \"admin\"}])",
    ]
    snowflake = []
    sqlserver = []
    mariadb   = []
  }
}
