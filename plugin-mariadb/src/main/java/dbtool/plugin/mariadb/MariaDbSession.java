package dbtool.plugin.mariadb;

import dbtool.spi.CheckContext;
import dbtool.spi.SessionSettings;
import dbtool.toolkit.Values;
import dbtool.toolkit.jdbc.JdbcSession;
import dbtool.toolkit.jdbc.JdbcUrlSession;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one connection of a troubleshoot, on the toolkit's {@link JdbcSession} (made on first use,
 * a failure remembered, client-side timeouts, cancel) and {@link JdbcUrlSession} (host, port,
 * database and user, the password forgotten after the attempt).
 * Right after login the session is made read-only and every statement and lock wait is bounded
 * on the server ({@link Flavour#safetyStatements}), so dbtool never queues behind the locks it
 * diagnoses.
 */
public final class MariaDbSession extends JdbcUrlSession {

    private final boolean tlsRequested;
    private final boolean handshakeProbe;

    private volatile Flavour flavour;
    private volatile String version;
    private volatile long connectionId = -1;

    MariaDbSession(Driver driver, String jdbcUrl, Properties properties, String host, int port, String database,
                   SessionSettings settings, boolean tlsRequested, boolean handshakeProbe) {
        super(driver, jdbcUrl, properties, host, port, database, settings);
        this.tlsRequested = tlsRequested;
        this.handshakeProbe = handshakeProbe;
    }

    public String where() {
        return (host().contains(":") ? "[" + host() + "]" : host()) + ":" + port();
    }

    /** Whether the target asks for TLS (sslMode other than disable). */
    public boolean tlsRequested() {
        return tlsRequested;
    }

    /** Whether the connectivity check may open its own connection to read the greeting (setting handshake_probe). */
    public boolean handshakeProbe() {
        return handshakeProbe;
    }

    @Override
    protected Connection connect() throws SQLException {
        Connection made = connectDriver();
        if (made == null) {
            return null;
        }
        try {
            made.setAutoCommit(true);
            try (Statement statement = made.createStatement()) {
                statement.setQueryTimeout((int) Math.max(1, statementTimeout().toSeconds()));
                try (ResultSet rs = statement.executeQuery("SELECT VERSION(), CONNECTION_ID()")) {
                    rs.next();
                    version = rs.getString(1);
                    connectionId = rs.getLong(2);
                }
                flavour = Flavour.of(version);
                for (String sql : flavour.safetyStatements(statementTimeout().toMillis(), settings().lockTimeout().toMillis())) {
                    statement.execute(sql);
                }
            }
            return made;
        } catch (SQLException e) {
            made.close();
            throw e;
        }
    }

    @Override
    protected String driverName() {
        return "MariaDB Connector/J";
    }

    @Override
    public String describe(SQLException e) {
        return LoginFailure.describe(e);
    }

    /** MariaDB or MySQL; connects first if needed. */
    public Flavour flavour() throws SQLException {
        connection();
        return flavour;
    }

    /** {@code VERSION()}, e.g. 10.11.6-MariaDB-0+deb12u1 or 8.0.40. */
    public String version() throws SQLException {
        connection();
        return version;
    }

    /** dbtool's own connection id, left out of every list of sessions. */
    public long connectionId() throws SQLException {
        connection();
        return connectionId;
    }

    /** SHOW GLOBAL STATUS / VARIABLES rows (Variable_name, Value) as one map. */
    public Map<String, String> nameValues(String sql, CheckContext context) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map<String, Object> row : query(sql, context)) {
            values.put(Values.text(row, "Variable_name"), Values.text(row, "Value"));
        }
        return values;
    }
}
