package dbtool.serve.store;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where {@code dbtool serve} keeps incidents, the last report of each target and the dedup keys of
 * alerts: an embedded H2 database under the data directory, or a PostgreSQL database that several
 * replicas share. The SQL is the same for both (H2 runs in its PostgreSQL mode); times are epoch
 * milliseconds so that no time zone setting of either server changes them.
 *
 * <p>The schema is created on first use and migrated forward by version ({@link #MIGRATIONS}).
 * A dedup key is claimed by inserting it under its primary key: of two replicas claiming the same
 * key at once, the database lets exactly one insert succeed.
 */
public final class StateStore implements AutoCloseable {

    /** Each entry moves the schema one version up; never edit one that shipped, add the next. */
    static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE dbtool_dedup (
                dedup_key VARCHAR(300) PRIMARY KEY,
                expires_at BIGINT NOT NULL)""",
            """
            CREATE TABLE dbtool_incidents (
                id VARCHAR(40) PRIMARY KEY,
                received_at BIGINT NOT NULL,
                alert_name VARCHAR(300) NOT NULL,
                alert_status VARCHAR(20) NOT NULL,
                fingerprint VARCHAR(300),
                target VARCHAR(500),
                state VARCHAR(20) NOT NULL,
                status VARCHAR(20) NOT NULL,
                body TEXT NOT NULL)""",
            "CREATE INDEX dbtool_incidents_received ON dbtool_incidents (received_at)",
            """
            CREATE TABLE dbtool_last_reports (
                target VARCHAR(500) PRIMARY KEY,
                updated_at BIGINT NOT NULL,
                body TEXT NOT NULL)"""));

    private static final String UNIQUE_VIOLATION = "23505";
    /** The advisory lock key that serialises migrations of a shared store ("dbtool" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6462746f6f6cL;

    private final Driver driver;
    private final String url;
    private final Properties properties;
    private final String description;
    private final Clock clock;
    private Connection connection;

    private StateStore(Driver driver, String url, Properties properties, String description, Clock clock) {
        this.driver = driver;
        this.url = url;
        this.properties = properties;
        this.description = description;
        this.clock = clock;
    }

    /**
     * Opens the store and brings its schema to the current version.
     *
     * @param description where it is, for messages: a path or a URL without its password
     */
    public static StateStore open(Driver driver, String url, Properties properties, String description, Clock clock) {
        StateStore store = new StateStore(driver, url, properties, description, clock);
        try {
            store.migrate();
        } catch (SQLException e) {
            store.close();
            throw store.failure("cannot prepare", e);
        }
        return store;
    }

    public String description() {
        return description;
    }

    /** A summary row of {@code GET /api/v1/incidents}. */
    public record IncidentRow(String id, Instant receivedAt, String alertName, String alertStatus, String target,
                              String state, String status) {
    }

    /**
     * Claims a dedup key for {@code window}: true for the first claim, false while an earlier claim
     * has not expired, here or in another replica sharing the store.
     */
    public synchronized boolean claim(String key, Duration window) {
        long now = clock.millis();
        try {
            Connection c = connection();
            try (PreparedStatement expired = c.prepareStatement("DELETE FROM dbtool_dedup WHERE dedup_key = ? AND expires_at <= ?")) {
                expired.setString(1, key);
                expired.setLong(2, now);
                expired.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO dbtool_dedup (dedup_key, expires_at) VALUES (?, ?)")) {
                insert.setString(1, key);
                insert.setLong(2, now + window.toMillis());
                insert.executeUpdate();
                return true;
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw failure("cannot claim a dedup key in", e);
        }
    }

    /** Gives a key up before its window ends (its alert resolved, or its work was refused). */
    public synchronized void release(String key) {
        update("DELETE FROM dbtool_dedup WHERE dedup_key = ?", key);
    }

    public synchronized void saveIncident(String id, Instant receivedAt, String alertName, String alertStatus, String fingerprint,
                                          String target, String state, String status, String body) {
        try (PreparedStatement insert = connection().prepareStatement("""
                INSERT INTO dbtool_incidents (id, received_at, alert_name, alert_status, fingerprint, target, state, status, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, id);
            insert.setLong(2, receivedAt.toEpochMilli());
            insert.setString(3, clip(alertName, 300));
            insert.setString(4, alertStatus);
            insert.setString(5, clip(fingerprint, 300));
            insert.setString(6, clip(target, 500));
            insert.setString(7, state);
            insert.setString(8, status);
            insert.setString(9, body);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw failure("cannot save an incident in", e);
        }
    }

    /** The newest incidents first, at most {@code limit}. */
    public synchronized List<IncidentRow> incidents(int limit) {
        List<IncidentRow> rows = new ArrayList<>();
        try (PreparedStatement query = connection().prepareStatement("""
                SELECT id, received_at, alert_name, alert_status, target, state, status FROM dbtool_incidents
                ORDER BY received_at DESC, id DESC LIMIT ?""")) {
            query.setInt(1, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(new IncidentRow(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read incidents from", e);
        }
        return rows;
    }

    /** One incident as stored (the JSON of {@code GET /api/v1/incidents/ID}). */
    public synchronized Optional<String> incident(String id) {
        return text("SELECT body FROM dbtool_incidents WHERE id = ?", id);
    }

    /**
     * Keeps a target's last report (the JSON report contract), replacing the one before.
     *
     * @return the time it was saved with, as {@link #lastReports} and {@link #savedTimes} give it back
     */
    public synchronized Instant saveLastReport(String target, String body) {
        long now = clock.millis();
        try {
            Connection c = connection();
            try (PreparedStatement update = c.prepareStatement("UPDATE dbtool_last_reports SET updated_at = ?, body = ? WHERE target = ?")) {
                update.setLong(1, now);
                update.setString(2, body);
                update.setString(3, target);
                if (update.executeUpdate() > 0) {
                    return Instant.ofEpochMilli(now);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO dbtool_last_reports (target, updated_at, body) VALUES (?, ?, ?)")) {
                insert.setLong(2, now);
                insert.setString(1, target);
                insert.setString(3, body);
                insert.executeUpdate();
            }
            return Instant.ofEpochMilli(now);
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return saveLastReport(target, body); // another replica inserted it first: now the update finds it
            }
            throw failure("cannot save a report in", e);
        }
    }

    /** When each of {@code targets}' last report was saved (by this replica or a sibling): a cheap look before reading bodies. */
    public synchronized Map<String, Instant> savedTimes(Collection<String> targets) {
        Map<String, Instant> times = new HashMap<>();
        try (PreparedStatement query = connection().prepareStatement(
                "SELECT target, updated_at FROM dbtool_last_reports WHERE target = ANY (?)")) {
            query.setArray(1, query.getConnection().createArrayOf("VARCHAR", targets.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    times.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read reports from", e);
        }
        return times;
    }

    public synchronized Optional<String> lastReport(String target) {
        return text("SELECT body FROM dbtool_last_reports WHERE target = ?", target);
    }

    /** A kept last report: the target, when it was saved, the JSON report. */
    public record LastReport(String target, Instant savedAt, String body) {
    }

    /** The last report of each of {@code targets} that the store has (by this replica or a sibling). */
    public synchronized List<LastReport> lastReports(Collection<String> targets) {
        List<LastReport> reports = new ArrayList<>();
        // One query for all: H2 and PostgreSQL both take a SQL array for = ANY (?).
        try (PreparedStatement query = connection().prepareStatement(
                "SELECT target, updated_at, body FROM dbtool_last_reports WHERE target = ANY (?) ORDER BY target")) {
            query.setArray(1, query.getConnection().createArrayOf("VARCHAR", targets.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    reports.add(new LastReport(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read reports from", e);
        }
        return reports;
    }

    /** Work on the store's connection: a module keeping tables of its own beside serve's (dbtool.triage). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on the store's connection, serialised with the store's own use (auto-commit on;
     * work that needs a transaction sets it and restores it). A failure is one line naming the store.
     *
     * @param what what the work does, for the message ("cannot ... it")
     */
    public synchronized <T> T withConnection(String what, Work<T> work) {
        try {
            return work.run(connection());
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** The schema version the store is at. */
    public synchronized int schemaVersion() {
        try (Statement statement = connection().createStatement();
             ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM dbtool_schema")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw failure("cannot read the schema version of", e);
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing left to save
            }
            connection = null;
        }
    }

    private void migrate() throws SQLException {
        Connection c = connection();
        boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        c.setAutoCommit(false);
        try (Statement statement = c.createStatement()) {
            if (postgres) {
                // Replicas starting together: one migrates, the others wait here and then find the work
                // done. (CREATE TABLE IF NOT EXISTS alone races: both see no table, the second fails.)
                statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            }
            statement.execute("CREATE TABLE IF NOT EXISTS dbtool_schema (version INTEGER NOT NULL)");
            int version;
            try (ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM dbtool_schema")) {
                rs.next();
                version = rs.getInt(1);
            }
            if (version > MIGRATIONS.size()) {
                throw DbtoolException.config("the state store " + description + " is at schema version " + version
                        + ", newer than this dbtool knows (" + MIGRATIONS.size() + "): upgrade dbtool");
            }
            for (int v = version; v < MIGRATIONS.size(); v++) {
                for (String sql : MIGRATIONS.get(v)) {
                    statement.execute(sql);
                }
                statement.execute("INSERT INTO dbtool_schema (version) VALUES (" + (v + 1) + ")");
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private Optional<String> text(String sql, String key) {
        try (PreparedStatement query = connection().prepareStatement(sql)) {
            query.setString(1, key);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read from", e);
        }
    }

    private void update(String sql, String key) {
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            statement.setString(1, key);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("cannot write to", e);
        }
    }

    /** The open connection; a broken one (the shared database restarted) is replaced. */
    private Connection connection() throws SQLException {
        if (connection != null && !connection.isValid(2)) {
            close();
        }
        if (connection == null) {
            connection = driver.connect(url, properties);
            if (connection == null) {
                throw new SQLException("the driver does not accept " + description);
            }
        }
        return connection;
    }

    /** One line without the password: drivers do not put it in messages, and the URL shown has none. */
    private DbtoolException failure(String what, SQLException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ").trim();
        return new DbtoolException(ExitCodes.CONFIG, "state store " + description + ": " + what + " it: " + reason);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
