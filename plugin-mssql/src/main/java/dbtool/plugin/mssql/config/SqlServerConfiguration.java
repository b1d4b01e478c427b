package dbtool.plugin.mssql.config;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.ConfigurationException;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.SessionSettings;
import dbtool.spi.UsageException;
import dbtool.toolkit.ReadBack;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code dbtool config} on SQL Server: options from sys.configurations, changed with
 * {@code sp_configure} and installed with {@code RECONFIGURE} (never {@code WITH OVERRIDE}: the
 * server's own sanity checks stay on), verified by reading sys.configurations again.
 *
 * <p>The write runs on the session's connection, which {@link SqlServerSession} opened with
 * {@code SET LOCK_TIMEOUT} (the command's {@code --lock-timeout}); each statement has the
 * statement timeout as its query timeout. RECONFIGURE installs every dynamic option whose
 * configured value differs from its running one, not only dbtool's: a change is refused while
 * another option waits for a RECONFIGURE, so that nobody's half-made change goes live unseen.
 * An advanced option needs {@code show advanced options} running as 1: dbtool turns it on for the
 * change and off again in the same RECONFIGURE (see {@link SpConfigure}), so the server is left
 * as it was apart from the option asked for.
 */
public final class SqlServerConfiguration implements ServerConfiguration.Session {

    /**
     * Every option, by name. value, minimum, maximum and value_in_use are sql_variant in the view;
     * every option's range fits a bigint.
     */
    public static final String OPTIONS = """
            SELECT name, CAST(value AS bigint) AS value, CAST(value_in_use AS bigint) AS value_in_use,
                   CAST(minimum AS bigint) AS minimum, CAST(maximum AS bigint) AS maximum, is_dynamic, is_advanced,
                   CAST(description AS nvarchar(255)) AS description
            FROM sys.configurations ORDER BY name""";

    private final SqlServerSession session;
    private final SessionSettings settings;
    private final boolean write;

    /** Works on {@code session}'s connection (writable only when {@code write}). */
    public SqlServerConfiguration(SqlServerSession session, SessionSettings settings, boolean write) {
        this.session = session;
        this.settings = settings;
        this.write = write;
    }

    @Override
    public List<ServerConfiguration.Parameter> parameters(Collection<String> names) throws SQLException {
        Set<String> wanted = names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return options().stream().filter(o -> wanted.isEmpty() || wanted.contains(o.name().toLowerCase(Locale.ROOT)))
                .map(SqlServerOption::parameter).toList();
    }

    @Override
    public ServerConfiguration.Change plan(String name, String value, boolean allowRestart) throws SQLException {
        SpConfigure change = checked(name, value, allowRestart);
        return new ServerConfiguration.Change(change.option().parameter(), Long.toString(change.value()), change.restart(),
                String.join("; ", change.statements()));
    }

    @Override
    public ServerConfiguration.Outcome apply(ServerConfiguration.Change change, Duration verifyWithin) throws SQLException {
        if (!write) {
            throw new IllegalStateException("a read-only configuration session cannot apply a change");
        }
        // Checked again: the server may have changed while the confirmation waited.
        SpConfigure planned = checked(change.before().name(), change.value(), change.restart());
        try (Statement s = session.connection().createStatement()) {
            s.setQueryTimeout(timeoutSeconds());
            for (String statement : planned.statements()) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + "; " + putBack(planned), e.getSQLState(), e.getErrorCode(), e);
        }
        // RECONFIGURE installs before it returns: the first read normally settles it.
        long wanted = planned.value();
        SqlServerOption now = ReadBack.until(verifyWithin, () -> option(planned.option().name()),
                o -> planned.restart() ? o.parameter().pendingRestart() != (o.valueInUse() == wanted) : o.valueInUse() == wanted);
        return new ServerConfiguration.Outcome(now.parameter(), now.valueInUse() == wanted);
    }

    @Override
    public void close() {
        session.close();
    }

    /** The change {@code name=value} as sp_configure statements, after the checks SQL Server would make and dbtool's own. */
    private SpConfigure checked(String name, String value, boolean allowRestart) throws SQLException {
        if (session.server().azureSqlDatabase()) {
            throw new UsageException("Azure SQL Database has no sp_configure: its server options are not settable; use ALTER DATABASE SCOPED "
                    + "CONFIGURATION for database options");
        }
        List<SqlServerOption> options = options();
        SqlServerOption option = find(options, name);
        if (value == null) {
            throw new UsageException(option.name() + ": SQL Server keeps no default to go back to; give a value");
        }
        long parsed = option.parse(value);
        if (!option.dynamic() && !allowRestart) {
            throw new UsageException(option.name() + " takes effect only after a restart (is_dynamic = 0); add --allow-restart to write it now "
                    + "and restart the server later");
        }
        List<String> pending = options.stream().filter(o -> o.dynamic() && o.value() != o.valueInUse() && !o.name().equals(option.name()))
                .map(o -> "'" + o.name() + "' (configured " + o.value() + ", running " + o.valueInUse() + ")").toList();
        if (!pending.isEmpty()) {
            throw new ConfigurationException(option.name() + ": RECONFIGURE would also install " + String.join(", ", pending)
                    + ", set with sp_configure but not installed; install or undo that first; nothing written");
        }
        boolean showAdvanced = find(options, SpConfigure.SHOW_ADVANCED).valueInUse() == 1;
        return new SpConfigure(option, parsed, !option.dynamic(), option.advanced() && !showAdvanced);
    }

    /**
     * After a failed write, writes back what sys.configurations held before, so that neither the
     * option nor 'show advanced options' is left configured but not installed.
     *
     * @return what was done, for the failure's one line
     */
    private String putBack(SpConfigure planned) {
        List<String> statements = new ArrayList<>();
        try (Statement s = session.connection().createStatement()) {
            s.setQueryTimeout(timeoutSeconds());
            List<SqlServerOption> options = options();
            SqlServerOption now = find(options, planned.option().name());
            if (now.value() != planned.option().value()) {
                statements.add(SpConfigure.statement(now.name(), planned.option().value()));
            }
            if (planned.showAdvanced()) {
                SqlServerOption shown = find(options, SpConfigure.SHOW_ADVANCED);
                if (shown.value() != 0) {
                    statements.add(SpConfigure.statement(SpConfigure.SHOW_ADVANCED, 0));
                }
                if (shown.valueInUse() != 0) {
                    statements.add(SpConfigure.RECONFIGURE);
                }
            }
            for (String statement : statements) {
                s.execute(statement);
            }
            return statements.isEmpty() ? "nothing was changed" : "the configured values were put back as they were";
        } catch (SQLException | RuntimeException e) {
            return "putting the configured values back failed too (" + e.getMessage() + "): check sys.configurations";
        }
    }

    private static SqlServerOption find(List<SqlServerOption> options, String name) {
        return options.stream().filter(o -> o.name().equalsIgnoreCase(name.strip())).findFirst()
                .orElseThrow(() -> new UsageException("unknown parameter '" + name.replaceAll("\\p{Cntrl}", "?") + "'"));
    }

    private SqlServerOption option(String name) throws SQLException {
        return find(options(), name);
    }

    private List<SqlServerOption> options() throws SQLException {
        List<SqlServerOption> options = new ArrayList<>();
        try (Statement s = session.connection().createStatement()) {
            s.setQueryTimeout(timeoutSeconds());
            try (ResultSet rs = s.executeQuery(OPTIONS)) {
                while (rs.next()) {
                    options.add(new SqlServerOption(rs.getString("name"), rs.getLong("value"), rs.getLong("value_in_use"), rs.getLong("minimum"),
                            rs.getLong("maximum"), rs.getBoolean("is_dynamic"), rs.getBoolean("is_advanced"), rs.getString("description")));
                }
            }
        }
        return options;
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, settings.statementTimeout().toSeconds());
    }
}
