package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerErrors;
import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Staged connection diagnosis: DNS, TCP, TDS login, each timed; then version, edition and uptime. */
final class ConnectionCheck extends SqlServerCheck {

    // EngineEdition 5 is Azure SQL Database; sys.dm_os_sys_info exists there too. SQL Server 2016-2022.
    static final String SQL = """
            SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(64)) AS version,
                   CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition,
                   CAST(SERVERPROPERTY('EngineEdition') AS int) AS engine_edition,
                   DATEDIFF(SECOND, i.sqlserver_start_time, GETDATE()) AS uptime_seconds
            FROM sys.dm_os_sys_info AS i
            """;

    ConnectionCheck() {
        super("connection", Category.CONNECTIVITY, "DNS, TCP and TDS login, each timed; version, edition, uptime");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder();
        List<Map<String, Object>> stages = new ArrayList<>();
        String where = session.host() + ":" + session.port();
        long start = System.nanoTime();
        InetAddress address;
        try {
            address = InetAddress.getByName(session.host());
        } catch (UnknownHostException e) {
            session.markUnreachable("host name " + session.host() + " does not resolve");
            stages.add(stage("dns", start, "failed: " + e.getMessage()));
            return result.add(failure(SqlServerErrors.Cause.UNKNOWN_HOST, where, e.getMessage(), stages)).build();
        }
        stages.add(stage("dns", start, address.getHostAddress()));
        start = System.nanoTime();
        int timeout = (int) Math.max(100, Math.min(session.connectTimeout().toMillis(), context.remaining().toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, session.port()), timeout);
        } catch (IOException e) {
            session.markUnreachable("TCP connect to " + where + " failed: " + e.getMessage());
            stages.add(stage("tcp", start, "failed: " + e.getMessage()));
            SqlServerErrors.Cause cause = e instanceof java.net.SocketTimeoutException ? SqlServerErrors.Cause.TIMEOUT : SqlServerErrors.Cause.REFUSED;
            return result.add(failure(cause, where, e.getMessage(), stages)).build();
        }
        stages.add(stage("tcp", start, "connected"));
        start = System.nanoTime();
        Map<String, Object> server;
        try {
            session.connection();
            stages.add(stage("login", start, "logged in as " + session.user()));
            server = session.query(SQL, context).stream().findFirst().orElse(Map.of());
        } catch (SQLException e) {
            SqlServerErrors.Cause cause = SqlServerErrors.classify(e);
            stages.add(stage("login", start, "failed: " + SqlServerErrors.describe(e)));
            return result.add(failure(cause, where, SqlServerErrors.describe(e) + " (error " + e.getErrorCode() + ")", stages)).build();
        }
        long uptime = number(server, "uptime_seconds");
        boolean azure = number(server, "engine_edition") == 5;
        return result.metric("uptime_seconds", uptime)
                .add(Finding.of("MSSQL_CONNECTED", Severity.INFO, (azure ? "Azure SQL Database " : "SQL Server ") + text(server, "version")
                                + " (" + text(server, "edition") + "), up " + human(uptime))
                        .evidence("stages", stages).evidence("version", text(server, "version"))
                        .evidence("edition", text(server, "edition")).evidence("uptimeSeconds", uptime).build())
                .build();
    }

    static Finding failure(SqlServerErrors.Cause cause, String where, String detail, List<Map<String, Object>> stages) {
        return Finding.of(cause.code(), Severity.CRITICAL, "Cannot log in to " + where + ": " + cause.meaning())
                .detail(detail)
                .evidence("stages", stages)
                .recommendation(switch (cause) {
                    case LOGIN_FAILED -> "Check the login and password; the server's error log names the exact reason (state) of error 18456.";
                    case DATABASE_UNAVAILABLE -> "Check the database name, that it is ONLINE (SELECT name, state_desc FROM sys.databases;) and that the login is a user in it.";
                    case TLS_REQUIRED -> "jTDS cannot do TLS 1.2+: use Microsoft's driver (docs/sqlserver.md).";
                    case REFUSED -> "Check that SQL Server runs and listens on this port (TCP/IP enabled, or the named instance's port via SQL Browser on 1434).";
                    case TIMEOUT -> "Check firewalls between this host and the server, and that the server host is up.";
                    default -> "Check the server's error log for the matching entry.";
                })
                .playbook(playbook("mssql_connection_failed")).build();
    }

    private static Map<String, Object> stage(String name, long startNanos, String result) {
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("stage", name);
        stage.put("ms", (System.nanoTime() - startNanos) / 1_000_000);
        stage.put("result", result);
        return stage;
    }
}
