package dbtool.plugin.snowflake;

import dbtool.plugin.snowflake.activity.SnowflakeActivity;
import dbtool.plugin.snowflake.activity.SnowflakePlan;
import dbtool.spi.Activity;
import dbtool.spi.ActiveSession;
import dbtool.spi.ActivityView;
import dbtool.spi.CheckContext;
import dbtool.spi.LogSource;
import dbtool.spi.QueryPlan;
import dbtool.spi.SessionSettings;
import dbtool.toolkit.FailureCause;
import dbtool.toolkit.jdbc.JdbcSession;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The one login of a troubleshoot, on Snowflake JDBC: lazy connect, remembered failure, timeouts,
 * cancel and row conversion come from the toolkit's {@link JdbcSession}; this class adds the
 * login method, the read-only guard on every statement, and the scrubbing of secrets from the
 * driver's failures. The statement timeout reaches the server as STATEMENT_TIMEOUT_IN_SECONDS
 * (IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT), so nothing keeps running after dbtool has given up.
 * It is also {@code dbtool top}'s view of the account (the activity package).
 */
public final class SnowflakeSession extends JdbcSession implements ActivityView, LogSource {

    private final Supplier<Driver> driverFactory;
    private final SnowflakeAddress address;
    private final Login login;
    private final Properties properties;
    private final List<String> secrets;
    // Created on the view's first refresh; top reads and plans from one worker thread.
    private volatile SnowflakeActivity activity;

    SnowflakeSession(Supplier<Driver> driverFactory, SnowflakeAddress address, Login login, Properties properties,
                     SessionSettings settings) {
        super(settings);
        this.driverFactory = driverFactory;
        this.address = address;
        this.login = login;
        this.properties = properties;
        this.secrets = new ArrayList<>(login.secrets());
        if (address.urlPassword() != null) {
            secrets.add(address.urlPassword());
        }
    }

    public SnowflakeAddress address() {
        return address;
    }

    /** How the session logs in: key-pair, oauth, password, externalbrowser or none. */
    public String loginMethod() {
        return login.method();
    }

    public String user() {
        return login.user() == null ? "" : login.user();
    }

    @Override
    protected String driverName() {
        return "Snowflake";
    }

    /** Snowflake's failed logins and failed queries of the last day, as log events (see {@link SnowflakeServerLog}). */
    @Override
    public ServerLog readLog(long maxBytes, CheckContext context) throws Exception {
        return SnowflakeServerLog.read(this, maxBytes, context);
    }

    @Override
    public String describe(SQLException e) {
        return SnowflakeErrors.describe(e);
    }

    @Override
    protected Connection connect() throws SQLException {
        if (login.refusal() != null) {
            throw new SQLException(login.refusal(), SnowflakeErrors.REFUSED_STATE);
        }
        ConnectionProperties.requireSafe(properties);
        Driver driver = driverFactory.get();
        Connection made = driver.connect(address.jdbcUrl(), properties);
        if (made == null) {
            throw new SQLException("the Snowflake driver does not accept " + address.jdbcUrl(), "08001");
        }
        return made;
    }

    @Override
    protected void forgetSecrets() {
        // Secrets are needed for the login only: do not keep them for the rest of the run.
        Login.SECRET_PROPERTIES.forEach(properties::remove);
        secrets.clear();
    }

    @Override
    protected void vet(String sql) throws SQLException {
        ReadOnlyStatements.require(sql);
    }

    /** Running, queued and blocked queries, the transactions holding the locks they wait for, and the warehouses' load. */
    @Override
    public Activity activity(CheckContext context) throws SQLException {
        SnowflakeActivity view = activity;
        if (view == null) {
            view = new SnowflakeActivity(this);
            activity = view;
        }
        return view.read(context);
    }

    /** The operator statistics of the query, or of the latest completed run of the same statement while it runs. */
    @Override
    public QueryPlan plan(ActiveSession session, CheckContext context) throws SQLException {
        return SnowflakePlan.read(this, activity, session, context);
    }

    /** The driver's version, e.g. 4.4.1. */
    public String driverVersion() throws SQLException {
        return connection().getMetaData().getDriverVersion();
    }

    /** One line for a driver that cannot link in this runtime. */
    public static String missingClass(LinkageError e) {
        return JdbcSession.missingClass("Snowflake", e);
    }

    @Override
    protected SQLException remembered(SQLException e) {
        String message = SnowflakeErrors.scrub(e.getMessage(), secrets);
        SQLException clean = new SQLException(message, e.getSQLState(), e.getErrorCode());
        // Keep the cause chain's types (for classification) but not their messages, which might echo a secret.
        Throwable root = FailureCause.root(e);
        if (root != e) {
            clean.initCause(new CauseType(root));
        }
        return clean;
    }

    /** A stand-in for a driver exception: its type for classification, its message scrubbed of everything. */
    static final class CauseType extends Exception implements FailureCause.StandIn {
        private final Class<? extends Throwable> type;

        CauseType(Throwable original) {
            super(original.getClass().getSimpleName(), null, false, false);
            this.type = original.getClass();
        }

        @Override
        public Class<? extends Throwable> type() {
            return type;
        }
    }
}
