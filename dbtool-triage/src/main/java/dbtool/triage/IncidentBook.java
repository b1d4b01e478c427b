package dbtool.triage;

import dbtool.serve.store.SchemaMigrations;
import dbtool.serve.store.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Triage's incidents and tickets, in tables of their own in serve's state store (embedded H2 or a shared
 * PostgreSQL database), with their own schema version ({@code dbtool_triage_schema}). One row per
 * incident key (target and root cause). Every decision that sends something is a conditional update
 * (a resolve only of a row not yet resolved, a repeat only when the last notification is the one read),
 * so of two replicas sharing the store exactly one sends it.
 */
public final class IncidentBook {

    /** Each entry moves triage's schema one version up; never edit one that shipped, add the next. */
    static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE dbtool_triage_incidents (
                incident_key VARCHAR(700) PRIMARY KEY,
                target VARCHAR(500) NOT NULL,
                root_code VARCHAR(200) NOT NULL,
                state VARCHAR(20) NOT NULL,
                priority VARCHAR(4) NOT NULL,
                first_seen BIGINT NOT NULL,
                last_seen BIGINT NOT NULL,
                occurrences INTEGER NOT NULL,
                last_notified BIGINT,
                resolved_at BIGINT,
                fingerprint VARCHAR(300),
                group_key VARCHAR(700),
                receivers VARCHAR(2000) NOT NULL,
                summary VARCHAR(2000) NOT NULL)""",
            "CREATE INDEX dbtool_triage_incidents_fp ON dbtool_triage_incidents (fingerprint)",
            "CREATE INDEX dbtool_triage_incidents_cause ON dbtool_triage_incidents (root_code, state)",
            """
            CREATE TABLE dbtool_triage_tickets (
                incident_key VARCHAR(700) NOT NULL,
                system VARCHAR(300) NOT NULL,
                ref VARCHAR(200) NOT NULL,
                url VARCHAR(1000),
                PRIMARY KEY (incident_key, system))"""));

    private static final String UNIQUE_VIOLATION = "23505";
    private static final long MIGRATION_LOCK = 0x6462747472676CL;
    private static final SchemaMigrations SCHEMA = new SchemaMigrations("dbtool_triage_schema", MIGRATION_LOCK, MIGRATIONS);

    /** What an observation of an incident calls for. */
    public enum Action {
        /** New (or back after its quiet period): notify. */
        TRIGGER,
        /** Still there, past the repeat window or worse than before: notify again (tickets get a comment). */
        REPEAT,
        /** Still there within the repeat window, or acknowledged: counted, not notified. */
        UPDATE,
        /** The same cause on another target was notified within the group window: counted under it. */
        GROUPED,
        /** Back within the quiet period after its resolution: reopened without a notification. */
        QUIET,
        /** Resolved now, and its trigger was notified: notify once. */
        RESOLVE,
        /** Nothing to do (already resolved, or never notified). */
        NONE
    }

    /** One incident as stored. */
    public record Row(String key, String target, String rootCode, String state, Priority priority, Instant firstSeen, Instant lastSeen,
                      int occurrences, Instant lastNotified, Instant resolvedAt, String fingerprint, String groupKey, List<String> receivers,
                      String summary) {
    }

    /** An observation's outcome: the action and the row after it. */
    public record Outcome(Action action, Row row) {
    }

    /** Repeat window, group window (zero: no grouping), quiet period. */
    public record Windows(Duration repeat, Duration group, Duration quiet) {
    }

    private final StateStore store;

    public IncidentBook(StateStore store) {
        this.store = store;
        store.withConnection("cannot prepare triage's tables in", IncidentBook::migrate);
    }

    private static Void migrate(Connection c) throws SQLException {
        try {
            SCHEMA.apply(c);
        } catch (SchemaMigrations.TooNewException e) {
            throw new SQLException("triage's tables are at " + e.getMessage(), e);
        }
        return null;
    }

    /** The schema version of triage's tables. */
    public int schemaVersion() {
        return store.withConnection("cannot read triage's schema version in", SCHEMA::version);
    }

    /** A firing observation of {@code key}: what it calls for. */
    public Outcome observe(String key, String target, String rootCode, Priority priority, String fingerprint, String summary, Instant now,
                           Windows windows) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Row> existing = row(key);
            if (existing.isEmpty()) {
                Optional<Row> leader = windows.group().isZero() ? Optional.empty() : leader(rootCode, target, now.minus(windows.group()));
                try {
                    insert(key, target, rootCode, priority, fingerprint, summary, now, leader.map(Row::key).orElse(null));
                    return new Outcome(leader.isPresent() ? Action.GROUPED : Action.TRIGGER, row(key).orElseThrow());
                } catch (Conflict e) {
                    continue; // another replica inserted it first: observe it as existing
                }
            }
            Row row = existing.get();
            long at = now.toEpochMilli();
            if (row.state().equals("resolved")) {
                boolean quiet = row.resolvedAt() != null && now.isBefore(row.resolvedAt().plus(windows.quiet()));
                int changed = update("""
                        UPDATE dbtool_triage_incidents SET state = 'open', last_seen = ?, occurrences = occurrences + 1, resolved_at = NULL,
                        last_notified = ?, priority = ?, fingerprint = ?, summary = ?, group_key = NULL WHERE incident_key = ? AND state = 'resolved'""",
                        at, quiet ? null : at, priority.name(), fingerprint, clip(summary, 2000), key);
                if (changed == 1) {
                    return new Outcome(quiet ? Action.QUIET : Action.TRIGGER, row(key).orElseThrow());
                }
                continue;
            }
            boolean worse = priority.ordinal() < row.priority().ordinal();
            boolean due = row.lastNotified() != null && !now.isBefore(row.lastNotified().plus(windows.repeat()));
            boolean notify = !row.state().equals("acknowledged") && row.lastNotified() != null && (due || worse);
            if (notify) {
                int changed = update("""
                        UPDATE dbtool_triage_incidents SET last_seen = ?, occurrences = occurrences + 1, last_notified = ?, priority = ?,
                        fingerprint = ?, summary = ? WHERE incident_key = ? AND last_notified = ? AND state = 'open'""",
                        at, at, priority.name(), fingerprint, clip(summary, 2000), key, row.lastNotified().toEpochMilli());
                if (changed == 1) {
                    return new Outcome(Action.REPEAT, row(key).orElseThrow());
                }
                continue;
            }
            update("""
                    UPDATE dbtool_triage_incidents SET last_seen = ?, occurrences = occurrences + 1, fingerprint = COALESCE(?, fingerprint)
                    WHERE incident_key = ?""", at, fingerprint, key);
            return new Outcome(Action.UPDATE, row(key).orElseThrow());
        }
        return new Outcome(Action.UPDATE, row(key).orElseThrow());
    }

    /** Resolves {@code key}: RESOLVE for the one caller that resolves it and whose trigger went out, else NONE. */
    public Outcome resolve(String key, Instant now) {
        Optional<Row> before = row(key);
        if (before.isEmpty() || before.get().state().equals("resolved")) {
            return new Outcome(Action.NONE, before.orElse(null));
        }
        int changed = update("UPDATE dbtool_triage_incidents SET state = 'resolved', resolved_at = ? WHERE incident_key = ? AND state <> 'resolved'",
                now.toEpochMilli(), key);
        Row after = row(key).orElseThrow();
        return new Outcome(changed == 1 && before.get().lastNotified() != null ? Action.RESOLVE : Action.NONE, after);
    }

    /** The unresolved incidents an alert (by its fingerprint) started. */
    public List<String> openByFingerprint(String fingerprint) {
        return keys("SELECT incident_key FROM dbtool_triage_incidents WHERE fingerprint = ? AND state <> 'resolved' ORDER BY incident_key", fingerprint);
    }

    /** The unresolved incidents of a target. */
    public List<String> openOf(String target) {
        return keys("SELECT incident_key FROM dbtool_triage_incidents WHERE target = ? AND state <> 'resolved' ORDER BY incident_key", target);
    }

    /** Open to acknowledged: repeats are counted, not notified, until it resolves. False when it is not open. */
    public boolean acknowledge(String key) {
        return update("UPDATE dbtool_triage_incidents SET state = 'acknowledged' WHERE incident_key = ? AND state = 'open'", key) == 1;
    }

    /** The receivers a trigger went to: its resolution goes to the same ones. */
    public void receivers(String key, List<String> receivers) {
        update("UPDATE dbtool_triage_incidents SET receivers = ? WHERE incident_key = ?", clip(String.join(",", receivers), 2000), key);
    }

    public Optional<Row> row(String key) {
        List<Row> rows = rows("SELECT * FROM dbtool_triage_incidents WHERE incident_key = ?", key);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** The newest first, at most {@code limit}. */
    public List<Row> incidents(int limit) {
        return rows("SELECT * FROM dbtool_triage_incidents ORDER BY last_seen DESC, incident_key LIMIT " + Math.max(1, limit));
    }

    /** A ticket remembered for an incident key in one system (github, jira). */
    public record Ticket(String ref, String url) {
    }

    public Optional<Ticket> ticket(String key, String system) {
        return store.withConnection("cannot read a ticket from", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT ref, url FROM dbtool_triage_tickets WHERE incident_key = ? AND system = ?")) {
                q.setString(1, key);
                q.setString(2, system);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(new Ticket(rs.getString(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    public void saveTicket(String key, String system, Ticket ticket) {
        store.withConnection("cannot save a ticket in", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO dbtool_triage_tickets (incident_key, system, ref, url) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, system);
                insert.setString(3, ticket.ref());
                insert.setString(4, clip(ticket.url(), 1000));
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
            return null;
        });
    }

    private Optional<Row> leader(String rootCode, String target, Instant since) {
        List<Row> rows = rows("""
                SELECT * FROM dbtool_triage_incidents WHERE root_code = ? AND target <> ? AND state <> 'resolved' AND group_key IS NULL
                AND last_notified >= ? ORDER BY first_seen LIMIT 1""", rootCode, target, since.toEpochMilli());
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** The incidents grouped under {@code leader}. */
    public List<String> grouped(String leader) {
        return keys("SELECT incident_key FROM dbtool_triage_incidents WHERE group_key = ? ORDER BY incident_key", leader);
    }

    private static final class Conflict extends RuntimeException {
        Conflict() {
            super(null, null, false, false);
        }
    }

    private void insert(String key, String target, String rootCode, Priority priority, String fingerprint, String summary, Instant now,
                        String group) {
        boolean inserted = store.withConnection("cannot save an incident in", c -> {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO dbtool_triage_incidents (incident_key, target, root_code, state, priority, first_seen, last_seen, occurrences,
                    last_notified, resolved_at, fingerprint, group_key, receivers, summary) VALUES (?, ?, ?, 'open', ?, ?, ?, 1, ?, NULL, ?, ?, '', ?)""")) {
                bind(insert, key, clip(target, 500), clip(rootCode, 200), priority.name(), now.toEpochMilli(), now.toEpochMilli(),
                        group == null ? now.toEpochMilli() : null, clip(fingerprint, 300), group, clip(summary, 2000));
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        });
        if (!inserted) {
            throw new Conflict();
        }
    }

    private int update(String sql, Object... values) {
        return store.withConnection("cannot update an incident in", c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                bind(statement, values);
                return statement.executeUpdate();
            }
        });
    }

    private List<String> keys(String sql, Object... values) {
        return store.withConnection("cannot read incidents from", c -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql)) {
                bind(q, values);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            return keys;
        });
    }

    private List<Row> rows(String sql, Object... values) {
        return store.withConnection("cannot read incidents from", c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql)) {
                bind(q, values);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String receivers = rs.getString("receivers");
                        rows.add(new Row(rs.getString("incident_key"), rs.getString("target"), rs.getString("root_code"), rs.getString("state"),
                                Priority.parse(rs.getString("priority")), instant(rs, "first_seen"), instant(rs, "last_seen"),
                                rs.getInt("occurrences"), instant(rs, "last_notified"), instant(rs, "resolved_at"), rs.getString("fingerprint"),
                                rs.getString("group_key"), receivers == null || receivers.isEmpty() ? List.of() : Arrays.asList(receivers.split(",")),
                                rs.getString("summary")));
                    }
                }
            }
            return rows;
        });
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null) {
                statement.setObject(i + 1, null);
            } else if (value instanceof Long l) {
                statement.setLong(i + 1, l);
            } else if (value instanceof Integer n) {
                statement.setInt(i + 1, n);
            } else {
                statement.setString(i + 1, value.toString());
            }
        }
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
