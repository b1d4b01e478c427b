package dbtool.serve.store;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

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
    static final List<List<String>> MIGRATIONS = List.of(
            // 1: incidents, dedup keys, last reports
            List.of(
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
                body TEXT NOT NULL)"""),
            // 2: dbtool change's audit trail (who, what, when, result) and the restore points it keeps
            List.of("""
            CREATE TABLE dbtool_changes (
                id VARCHAR(40) PRIMARY KEY,
                target VARCHAR(500) NOT NULL,
                action VARCHAR(20) NOT NULL,
                actor VARCHAR(300) NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT,
                result VARCHAR(20) NOT NULL,
                body TEXT NOT NULL)""",
            "CREATE INDEX dbtool_changes_target ON dbtool_changes (target, started_at)"),
            // 3: metric history for anomaly detection (dbtool.monitoring): one row per target and time, its gauges as a
            // JSON object (a row per value was 8 times the size, and 5 times slower to read back)
            List.of("""
                    CREATE TABLE dbtool_metric_history (
                        target VARCHAR(500) NOT NULL,
                        measured_at BIGINT NOT NULL,
                        metrics TEXT NOT NULL,
                        PRIMARY KEY (target, measured_at))""",
                    "CREATE INDEX dbtool_metric_history_at ON dbtool_metric_history (measured_at)"));

    private static final String UNIQUE_VIOLATION = "23505";
    /** The advisory lock key that serialises migrations of a shared store ("dbtool" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6462746f6f6cL;
    private static final SchemaMigrations SCHEMA = new SchemaMigrations("dbtool_schema", MIGRATION_LOCK, MIGRATIONS);

    /** The store a {@code dbtool serve} in this process has open, for checks of its runs that read it. */
    private static volatile StateStore serving;

    private final Driver driver;
    private final String url;
    private final Properties properties;
    private final String description;
    private final Clock clock;
    private Connection connection;
    private volatile boolean closed;

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

    /** Registers the store {@code dbtool serve} opened, so that its runs' checks share it (one H2 engine per file). */
    public static void serving(StateStore store) {
        serving = store;
    }

    /** The store {@code dbtool serve} in this process has open, if it runs here and the store is not closed. */
    public static Optional<StateStore> serving() {
        StateStore store = serving;
        return (store == null || store.closed) ? Optional.empty() : Optional.of(store);
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

    /**
     * One audited write of {@code dbtool change} (apply, rollback): who did what to which target,
     * when, and how it ended; {@code body} is its JSON (versions, restore point, message). Saved when
     * it starts and again when it ends, under the same id.
     */
    public record ChangeRow(String id, String target, String action, String actor, Instant startedAt, Instant finishedAt,
                            String result, String body) {
    }

    /** Saves or updates an audited change. */
    public synchronized void saveChange(ChangeRow row) {
        try {
            Connection c = connection();
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE dbtool_changes SET finished_at = ?, result = ?, body = ? WHERE id = ?")) {
                if (row.finishedAt() == null) {
                    update.setNull(1, Types.BIGINT);
                } else {
                    update.setLong(1, row.finishedAt().toEpochMilli());
                }
                update.setString(2, row.result());
                update.setString(3, row.body());
                update.setString(4, row.id());
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO dbtool_changes (id, target, action, actor, started_at, finished_at, result, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, row.id());
                insert.setString(2, clip(row.target(), 500));
                insert.setString(3, row.action());
                insert.setString(4, clip(row.actor(), 300));
                insert.setLong(5, row.startedAt().toEpochMilli());
                if (row.finishedAt() == null) {
                    insert.setNull(6, Types.BIGINT);
                } else {
                    insert.setLong(6, row.finishedAt().toEpochMilli());
                }
                insert.setString(7, row.result());
                insert.setString(8, row.body());
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw failure("cannot save a change in", e);
        }
    }

    /** A target's audited changes, newest first, at most {@code limit}. */
    public synchronized List<ChangeRow> changes(String target, int limit) {
        List<ChangeRow> rows = new ArrayList<>();
        try (PreparedStatement query = connection().prepareStatement("""
                SELECT id, target, action, actor, started_at, finished_at, result, body FROM dbtool_changes
                WHERE target = ? ORDER BY started_at DESC, id DESC LIMIT ?""")) {
            query.setString(1, target);
            query.setInt(2, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    long finished = rs.getLong(6);
                    rows.add(new ChangeRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), rs.wasNull() ? null : Instant.ofEpochMilli(finished),
                            rs.getString(7), rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read changes from", e);
        }
        return rows;
    }


    /** One kept value of a metric: when it was measured and what it was. */
    public record MetricPoint(Instant at, double value) {
    }

    /** A stretch of time, {@code from} inclusive, {@code to} exclusive. */
    public record Period(Instant from, Instant to) {
    }

    /**
     * Keeps one run's metric values (Prometheus family names) under {@code at}. Values already kept for the same
     * target and time (by a sibling replica sharing the store) are left as they are.
     */
    public synchronized void saveMetrics(String target, Instant at, Map<String, Double> values) {
        if (values.isEmpty()) {
            return;
        }
        JsonObject json = new JsonObject();
        values.forEach((family, value) -> {
            if (Double.isFinite(value)) {
                json.addProperty(family, value);
            }
        });
        // H2 takes ON CONFLICT DO NOTHING in its PostgreSQL mode: one statement for both stores.
        try (PreparedStatement insert = connection().prepareStatement(
                "INSERT INTO dbtool_metric_history (target, measured_at, metrics) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, clip(target, 500));
            insert.setLong(2, at.toEpochMilli());
            insert.setString(3, json.toString());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw failure("cannot save metrics in", e);
        }
    }

    /** When the target's oldest kept metrics were measured; empty when none are kept. */
    public synchronized Optional<Instant> oldestMetrics(String target) {
        try (PreparedStatement query = connection().prepareStatement("SELECT MIN(measured_at) FROM dbtool_metric_history WHERE target = ?")) {
            query.setString(1, target);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                long oldest = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest));
            }
        } catch (SQLException e) {
            throw failure("cannot read metric history from", e);
        }
    }

    /** The target's kept values of {@code families} in the given periods, by family, oldest first. */
    public synchronized Map<String, List<MetricPoint>> metricHistory(String target, Collection<String> families, List<Period> periods) {
        Map<String, List<MetricPoint>> history = new TreeMap<>();
        try (PreparedStatement query = connection().prepareStatement("""
                SELECT measured_at, metrics FROM dbtool_metric_history
                WHERE target = ? AND measured_at >= ? AND measured_at < ? ORDER BY measured_at""")) {
            for (Period period : periods.stream().sorted(Comparator.comparing(Period::from)).toList()) {
                query.setString(1, target);
                query.setLong(2, period.from().toEpochMilli());
                query.setLong(3, period.to().toEpochMilli());
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Instant at = Instant.ofEpochMilli(rs.getLong(1));
                        JsonObject values = JsonParser.parseString(rs.getString(2)).getAsJsonObject();
                        for (String family : families) {
                            JsonElement value = values.get(family);
                            if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
                                history.computeIfAbsent(family, f -> new ArrayList<>()).add(new MetricPoint(at, value.getAsDouble()));
                            }
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw failure("cannot read metric history from", e instanceof SQLException sql ? sql : new SQLException(e.getMessage()));
        }
        return history;
    }

    /** Drops metric values older than {@code before}; returns how many times (rows) went. */
    public synchronized int pruneMetrics(Instant before) {
        try (PreparedStatement delete = connection().prepareStatement("DELETE FROM dbtool_metric_history WHERE measured_at < ?")) {
            delete.setLong(1, before.toEpochMilli());
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw failure("cannot prune metric history in", e);
        }
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
        try {
            return SCHEMA.version(connection());
        } catch (SQLException e) {
            throw failure("cannot read the schema version of", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
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
        try {
            SCHEMA.apply(connection());
        } catch (SchemaMigrations.TooNewException e) {
            throw DbtoolException.config("the state store " + description + " is at " + e.getMessage());
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
