package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.ServerInfo;
import dbtool.plugin.mssql.SqlServerErrors;
import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Stages;
import dbtool.toolkit.Values;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Staged connection diagnosis: DNS, TCP, TDS login, each timed; then version, edition, uptime and,
 * where Always On is enabled, the role and synchronization health of the availability groups.
 */
final class ConnectionCheck extends SqlServerCheck {

    static final Threshold RESTART_WARNING = Threshold.number("restart_warning_seconds", 900, "s",
            "MSSQL_RECENT_RESTART when the server has been up less than this");

    @Override
    public List<Threshold> thresholds() {
        return List.of(RESTART_WARNING);
    }

    // EngineEdition 5 is Azure SQL Database; sys.dm_os_sys_info exists there too. SQL Server 2016-2022.
    static final String SQL = """
            SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(64)) AS version,
                   CAST(SERVERPROPERTY('ProductLevel') AS nvarchar(64)) AS product_level,
                   CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition,
                   CAST(SERVERPROPERTY('EngineEdition') AS int) AS engine_edition,
                   CAST(SERVERPROPERTY('IsHadrEnabled') AS int) AS hadr_enabled,
                   DATEDIFF(SECOND, i.sqlserver_start_time, GETDATE()) AS uptime_seconds
            FROM sys.dm_os_sys_info AS i
            """;

    // Only where Always On is enabled (not on Azure SQL Database). A primary sees every replica, a
    // secondary only itself; the group states name the primary either way. SQL Server 2016-2022.
    static final String AVAILABILITY_SQL = """
            SELECT ag.name AS ag_name, ar.replica_server_name, rs.is_local, rs.role_desc,
                   rs.synchronization_health_desc, rs.connected_state_desc, gs.primary_replica
            FROM sys.dm_hadr_availability_replica_states AS rs
            JOIN sys.availability_replicas AS ar ON ar.replica_id = rs.replica_id
            JOIN sys.availability_groups AS ag ON ag.group_id = rs.group_id
            LEFT JOIN sys.dm_hadr_availability_group_states AS gs ON gs.group_id = rs.group_id
            ORDER BY ag.name, rs.is_local DESC, ar.replica_server_name
            """;

    /** SQL Browser's answer for a named instance (UDP 1434). */
    private static final Stages.Stage BROWSER = new Stages.Stage("browser", "SQL Browser answered",
            "SQL Browser did not answer", "the SQL Browser service is stopped or UDP 1434 is blocked");
    /** The TDS pre-login and login. */
    private static final Stages.Stage LOGIN = new Stages.Stage("login", "logged in", "the server did not answer the TDS login",
            "the server is hung, overloaded, or out of worker threads");

    ConnectionCheck() {
        super("connection", Category.CONNECTIVITY, "DNS, TCP and TDS login, each timed; version, edition, uptime, Availability Group role and health");
    }

    @Override
    Set<String> codes() {
        Set<String> codes = new TreeSet<>(Set.of("MSSQL_AG_NOT_HEALTHY", "MSSQL_AG_PARTIALLY_HEALTHY",
                "MSSQL_AG_RESOLVING", "MSSQL_AG_SECONDARY", "MSSQL_AG_UNREADABLE", "MSSQL_CONNECTED",
                "MSSQL_RECENT_RESTART", "MSSQL_UNSUPPORTED_VERSION"));
        Arrays.stream(SqlServerErrors.Cause.values()).map(SqlServerErrors.Cause::code).forEach(codes::add);
        return codes;
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) {
        Stages stages = session.stages();
        CheckResult.Builder result = CheckResult.builder();
        InetAddress address;
        String where = session.host() + ":" + session.port();
        try {
            address = session.resolve(session.host());
        } catch (IOException e) {
            return result.add(failure(SqlServerErrors.Cause.UNKNOWN_HOST, where, e.getMessage(), stages.list())).build();
        }
        if (session.instance() != null) {
            long start = stages.begin(BROWSER);
            try {
                int port = session.resolveInstancePort();
                stages.add("browser", start, "instance " + session.instance() + " listens on TCP " + port);
            } catch (IOException e) {
                session.markUnreachable(e.getMessage());
                stages.add("browser", start, "failed: " + e.getMessage());
                return result.add(failure(SqlServerErrors.Cause.INSTANCE_UNKNOWN, session.host() + " instance " + session.instance(),
                        e.getMessage(), stages.list())).build();
            }
            where = session.host() + ":" + session.port();
        }
        int timeout = session.tcpTimeoutMillis(context);
        try {
            session.reach(address, session.port(), where, timeout);
        } catch (IOException e) {
            SqlServerErrors.Cause cause = e instanceof SocketTimeoutException ? SqlServerErrors.Cause.TIMEOUT : SqlServerErrors.Cause.REFUSED;
            return result.add(failure(cause, where, e.getMessage(), stages.list())).build();
        }
        long start = stages.begin(LOGIN);
        Map<String, Object> server;
        List<Map<String, Object>> replicas = List.of();
        try {
            session.connection();
            stages.add("login", start, "logged in" + (session.user().isEmpty() ? "" : " as " + session.user())
                    + " with " + session.driver().displayName());
            server = session.query(SQL, context).stream().findFirst().orElse(Map.of());
        } catch (SQLException e) {
            SqlServerErrors.Cause cause = SqlServerErrors.classify(e);
            stages.add("login", start, "failed with " + session.driver().displayName() + ": " + SqlServerErrors.describe(e));
            return result.add(failure(cause, where, SqlServerErrors.describe(e) + " (error " + SqlServerErrors.number(e) + ")",
                    stages.list())).build();
        }
        if (Values.longValue(server, "hadr_enabled") == 1 && Values.longValue(server, "engine_edition") != 5) {
            try {
                replicas = session.query(AVAILABILITY_SQL, context);
            } catch (SQLException e) {
                // Reading AG state needs VIEW SERVER STATE; the connection itself is fine, so say so and go on.
                result.add(Finding.of("MSSQL_AG_UNREADABLE", Severity.INFO, "Always On is enabled but its state could not be read")
                        .detail(SqlServerErrors.describe(e)).build());
            }
        }
        CheckResult diagnosed = interpret(server, replicas, stages.list(), context);
        diagnosed.findings().forEach(result::add);
        diagnosed.metrics().forEach(result::metric);
        return result.build();
    }

    /** The server's properties and its AG replicas to findings; separate from the queries so it is tested on fixtures. */
    static CheckResult interpret(Map<String, Object> server, List<Map<String, Object>> replicas, List<Map<String, Object>> stages,
                                 CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        ServerInfo info = ServerInfo.of(server);
        long uptime = Values.longValue(server, "uptime_seconds");
        String level = Values.line(server, "product_level");
        result.metric("uptime_seconds", uptime).metric("major_version", info.majorVersion());
        result.add(Finding.of("MSSQL_CONNECTED", Severity.INFO, info.describe().replace(")", (level.isEmpty() ? "" : ", " + level)
                                + (Values.line(server, "edition").isEmpty() ? "" : ", " + Values.line(server, "edition")) + ")") + ", up " + Format.duration(uptime))
                .evidence("stages", stages).evidence("version", info.version()).evidence("productLevel", level)
                .evidence("edition", info.edition()).evidence("engineEdition", info.engineEdition())
                .evidence("azureSqlDatabase", info.azureSqlDatabase()).evidence("uptimeSeconds", uptime).build());
        if (info.known() && !info.evergreen() && info.majorVersion() < ServerInfo.OLDEST_SUPPORTED) {
            result.add(Finding.of("MSSQL_UNSUPPORTED_VERSION", Severity.WARNING, info.describe()
                            + " is older than SQL Server 2016, the oldest dbtool is written for")
                    .detail("Checks that read views or columns added since may fail; their errors say which.")
                    .evidence("version", info.version()).build());
        }
        long restart = (long) RESTART_WARNING.value(context);
        if (server.containsKey("uptime_seconds") && uptime < restart) {
            result.add(Finding.of("MSSQL_RECENT_RESTART", Severity.WARNING, "SQL Server started " + Format.duration(uptime) + " ago")
                    .detail("A restart clears the buffer pool, the plan cache and every cumulative DMV: expect slow first queries, "
                            + "and wait statistics and top statements that cover only the time since.")
                    .evidence("uptimeSeconds", uptime)
                    .recommendation("Find out why it restarted: the SQL Server error log (EXEC sp_readerrorlog 1;) and the Windows "
                            + "or systemd logs of the host.")
                    .playbook(playbook("mssql-session-info")).build());
        }
        availability(replicas, result);
        return result.build();
    }

    /** Role of the replica dbtool is connected to, and the health of every replica it can see. */
    private static void availability(List<Map<String, Object>> replicas, CheckResult.Builder result) {
        Map<String, List<Map<String, Object>>> byGroup = new LinkedHashMap<>();
        replicas.forEach(r -> byGroup.computeIfAbsent(Values.line(r, "ag_name"), k -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<Map<String, Object>>> group : byGroup.entrySet()) {
            String name = group.getKey();
            List<Map<String, Object>> rows = group.getValue();
            Map<String, Object> local = rows.stream().filter(r -> Values.longValue(r, "is_local") == 1 || Boolean.TRUE.equals(r.get("is_local")))
                    .findFirst().orElse(rows.getFirst());
            String role = Values.line(local, "role_desc");
            String primary = Values.line(local, "primary_replica");
            List<Map<String, Object>> evidence = rows.stream().map(r -> {
                Map<String, Object> replica = new LinkedHashMap<>();
                replica.put("replica", Values.line(r, "replica_server_name"));
                replica.put("role", Values.line(r, "role_desc"));
                replica.put("synchronizationHealth", Values.line(r, "synchronization_health_desc"));
                replica.put("connectedState", Values.line(r, "connected_state_desc"));
                return replica;
            }).toList();
            result.metric("ag_role", role);
            if ("SECONDARY".equals(role)) {
                result.add(Finding.of("MSSQL_AG_SECONDARY", Severity.INFO, "Connected to a secondary replica of availability group "
                                + name + (primary.isEmpty() ? "" : "; the primary is " + primary))
                        .detail("Writes, and the blocking they cause, happen on the primary: diagnose it too.")
                        .evidence("availabilityGroup", name).evidence("role", role).evidence("primaryReplica", primary)
                        .evidence("replicas", evidence).playbook(playbook("mssql-availability-group")).build());
            } else if ("RESOLVING".equals(role)) {
                result.add(Finding.of("MSSQL_AG_RESOLVING", Severity.CRITICAL, "Availability group " + name
                                + " has no primary here: this replica is RESOLVING")
                        .detail("While the role resolves, the group's databases accept no connections on this replica.")
                        .evidence("availabilityGroup", name).evidence("role", role).evidence("replicas", evidence)
                        .recommendation("Check the cluster (Get-ClusterGroup / crm status) and sys.dm_hadr_cluster_members for quorum.")
                        .playbook(playbook("mssql-availability-group")).build());
            }
            List<Map<String, Object>> unhealthy = rows.stream()
                    .filter(r -> !Values.line(r, "synchronization_health_desc").isEmpty() && !"HEALTHY".equals(Values.line(r, "synchronization_health_desc")))
                    .toList();
            if (!unhealthy.isEmpty()) {
                boolean notHealthy = unhealthy.stream().anyMatch(r -> "NOT_HEALTHY".equals(Values.line(r, "synchronization_health_desc")));
                result.add(Finding.of(notHealthy ? "MSSQL_AG_NOT_HEALTHY" : "MSSQL_AG_PARTIALLY_HEALTHY",
                                notHealthy ? Severity.CRITICAL : Severity.WARNING, "Availability group " + name + ": "
                                + String.join(", ", unhealthy.stream().map(r -> Values.line(r, "replica_server_name") + " "
                                        + Values.line(r, "synchronization_health_desc") + " (" + Values.line(r, "connected_state_desc") + ")").toList()))
                        .detail("A replica that does not synchronize cannot take over without data loss, and keeps the primary's "
                                + "log from being reused (log_reuse_wait_desc AVAILABILITY_REPLICA).")
                        .evidence("availabilityGroup", name).evidence("role", role).evidence("primaryReplica", primary)
                        .evidence("replicas", evidence)
                        .recommendation("SELECT database_id, synchronization_state_desc, log_send_queue_size, redo_queue_size "
                                + "FROM sys.dm_hadr_database_replica_states;  -- which databases lag, and by how much")
                        .playbook(playbook("mssql-availability-group")).build());
            }
        }
    }

    static Finding failure(SqlServerErrors.Cause cause, String where, String detail, List<Map<String, Object>> stages) {
        return Finding.of(cause.code(), Severity.CRITICAL, "Cannot log in to " + where + ": " + cause.meaning())
                .detail(detail)
                .evidence("stages", stages)
                .recommendation(switch (cause) {
                    case LOGIN_FAILED -> "Check the login and password; the server's error log names the exact reason (state) of error 18456.";
                    case DATABASE_UNAVAILABLE -> "Check the database name, that it is ONLINE (SELECT name, state_desc FROM sys.databases;) and that the login is a user in it.";
                    case TLS_REQUIRED -> "jTDS cannot do TLS 1.2+: use Microsoft's driver (docs/sqlserver.md).";
                    case UNTRUSTED_CERTIFICATE -> "Add the server's CA to this host's trust store (or the target's trustStore), or set "
                            + "\"hostNameInCertificate\" when the certificate names another host; \"trustServerCertificate\": \"true\" "
                            + "skips the check (not for production networks).";
                    case SECONDARY_NOT_READABLE -> "Connect to the availability group listener or the primary; to read on this secondary "
                            + "it must allow connections (ALTER AVAILABILITY GROUP ... SECONDARY_ROLE (ALLOW_CONNECTIONS = ALL)).";
                    case DEFAULT_DATABASE_UNAVAILABLE -> "Name a database in the URL (sqlserver://host/master), or fix the login: "
                            + "ALTER LOGIN [the login] WITH DEFAULT_DATABASE = master;";
                    case LOGIN_DISABLED -> "ALTER LOGIN [the login] ENABLE;  -- if it was disabled by mistake; ask who disabled it first";
                    case LOGIN_LOCKED_OUT -> "Wait for the Windows lockout duration, or ALTER LOGIN [the login] WITH PASSWORD = '...' UNLOCK;";
                    case PASSWORD_EXPIRED -> "Change the password (ALTER LOGIN [the login] WITH PASSWORD = '...' OLD_PASSWORD = '...';) and "
                            + "update dbtool's credential store.";
                    case AZURE_FIREWALL -> "Add this client's IP address to the Azure SQL server's firewall rules (portal, az sql server "
                            + "firewall-rule create, or sp_set_firewall_rule in master).";
                    case AZURE_DATABASE_UNAVAILABLE -> "Retry in a few seconds: a reconfiguration or failover is in progress; if it lasts, "
                            + "check Azure Resource Health for the database.";
                    case AZURE_SERVER_NAME -> "Check the server name in the URL (<server>.database.windows.net); older drivers need the "
                            + "user as user@server.";
                    case INSTANCE_UNKNOWN -> "Check the instance name, that the SQL Server Browser service runs and that UDP 1434 is open "
                            + "from this host; or put the instance's TCP port in the URL (host:PORT), which needs no Browser.";
                    case REFUSED -> "Check that SQL Server runs and listens on this port (TCP/IP enabled, or the named instance's port via SQL Browser on 1434).";
                    case TIMEOUT -> "Check firewalls between this host and the server, and that the server host is up.";
                    default -> "Check the server's error log for the matching entry.";
                })
                .playbook(playbook("mssql-connection-failed")).build();
    }
}
