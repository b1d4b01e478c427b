package dbtool.plugin.mssql;

import dbtool.plugin.mssql.checks.SqlServerChecks;
import dbtool.plugin.mssql.config.SqlServerConfiguration;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Grant;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.sql.Driver;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * SQL Server 2016 to 2022 and Azure SQL Database, on jTDS 1.3.1 (pure Java, no native parts), or
 * on Microsoft's mssql-jdbc when a target says {@code "driver": "mssql-jdbc"} and its jar is in the
 * plugin's folder. URL: {@code sqlserver://user:password@host:1433/database}; a named instance as
 * {@code sqlserver://host/database?instance=NAME}, whose port dbtool asks SQL Browser for (UDP
 * 1434, or {@code browserPort} when it is forwarded elsewhere); options in docs/sqlserver.md.
 * {@code dbtool config} reads sys.configurations and writes with sp_configure and RECONFIGURE
 * ({@link SqlServerConfiguration}).
 */
public final class SqlServerPlugin implements EnginePlugin, ServerConfiguration {

    @Override
    public String id() {
        return "sqlserver";
    }

    @Override
    public String displayName() {
        return "SQL Server";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("sqlserver", "mssql");
    }

    @Override
    public int defaultPort() {
        return 1433;
    }

    @Override
    public List<Check> checks() {
        return SqlServerChecks.all();
    }

    /**
     * SQL Server 2016 to 2022 and Azure SQL Managed Instance: server-level read permissions on a login.
     * The error log (sp_readerrorlog) needs securityadmin, which can grant logins: it is not asked for, and
     * the log check says so when it cannot read.
     */
    @Override
    public List<Grant> grants() {
        return List.of(
                new Grant("GRANT VIEW SERVER STATE TO [{{role}}]", "the DMVs every check reads: sessions, requests, "
                        + "waiting tasks, locks, query stats and plans, performance counters, the system_health deadlock "
                        + "reports, availability groups (on 2022 it includes VIEW SERVER PERFORMANCE STATE)"),
                new Grant("GRANT VIEW ANY DEFINITION TO [{{role}}]", "sys.master_files: every database's files for the "
                        + "log-space and autogrowth checks (metadata only, no data)"),
                new Grant("GRANT CONNECT ANY DATABASE TO [{{role}}]", "per-database views (sys.database_files, "
                        + "sys.dm_db_log_space_usage) in the target's database without a user in each; reads no table"));
    }

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        return open(target, credentials, settings, DriverLoader::pluginDrivers, isWindows(), Optional.ofNullable(System.getenv("USERDOMAIN")));
    }

    /**
     * A session for {@code dbtool config}: read-only for {@code show}; for {@code set} and {@code rollback}
     * one that does not mark its connection read-only, with the same lock timeout and settings.
     */
    @Override
    public ServerConfiguration.Session openConfiguration(Target target, Credentials credentials, SessionSettings settings, boolean write) {
        return new SqlServerConfiguration(open(target, credentials, settings, DriverLoader::pluginDrivers, isWindows(),
                Optional.ofNullable(System.getenv("USERDOMAIN")), write), settings, write);
    }

    /** The same, with what it would read from the machine given, for tests. */
    SqlServerSession open(Target target, Credentials credentials, SessionSettings settings, Supplier<List<Driver>> drivers,
                          boolean windows, Optional<String> userDomain) {
        return open(target, credentials, settings, drivers, windows, userDomain, false);
    }

    private SqlServerSession open(Target target, Credentials credentials, SessionSettings settings, Supplier<List<Driver>> drivers,
                                  boolean windows, Optional<String> userDomain, boolean write) {
        SqlServerOptions options = SqlServerOptions.of(target);
        int port = target.portOr(defaultPort());
        String user = credentials.user().orElse(target.urlUser().orElse(null));
        String password = credentials.password().map(String::new).orElse(target.urlPassword().orElse(null));
        IntegratedLogin login = IntegratedLogin.choose(options, password != null, windows, userDomain);
        // A port in the URL wins over the instance name (no Browser needed); without one, the session
        // asks SQL Browser itself, on 1434 unless browserPort says where it is forwarded to.
        int browserPort = options.browserPort();
        SqlServerSession.NamedInstance named = options.get("instance").filter(i -> target.port() <= 0)
                .map(instance -> new SqlServerSession.NamedInstance(instance, browserPort)).orElse(null);
        JdbcConnection connection = JdbcConnections.describe(target, port, options, login, user, password, settings);
        // jTDS is the plugin's own dependency; mssql-jdbc is whatever the user dropped beside it.
        Driver driver = connection.driver() == DriverKind.JTDS ? new net.sourceforge.jtds.jdbc.Driver()
                : DriverLoader.mssqlJdbc(target.name(), drivers.get());
        return new SqlServerSession(driver, connection, target.host(), named, settings, write);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
