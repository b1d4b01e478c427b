package dbtool.change.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The target's tables as the projection needs them, read without locks: sizes from {@code pg_class}
 * (pages as of the last VACUUM or ANALYZE; {@code pg_relation_size} would take a lock) and traffic
 * from two readings of {@code pg_stat_user_tables} some seconds apart.
 */
public final class TargetProfile {

    /** One table: bytes of the table, bytes with its indexes, rows, and writes and reads per second. */
    public record Table(String name, long tableBytes, long totalBytes, double rows, double writesPerSecond, double readsPerSecond) {
    }

    private record Reading(long tableBytes, long totalBytes, double rows, long writes, long reads) {
    }

    private static final String QUERY = """
            SELECT n.nspname, c.relname, c.relpages::bigint * current_setting('block_size')::bigint,
                   (c.relpages + COALESCE((SELECT sum(i.relpages) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                                           WHERE x.indrelid = c.oid), 0))::bigint * current_setting('block_size')::bigint,
                   GREATEST(c.reltuples, 0)::float8,
                   COALESCE(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0)::bigint,
                   COALESCE(s.seq_scan + COALESCE(s.idx_scan, 0), 0)::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'""";
    // checked against PostgreSQL 12-17

    private final Map<String, Reading> first;
    private final long firstAt;
    private Map<String, Table> tables = Map.of();
    private double seconds;

    private TargetProfile(Map<String, Reading> first, long firstAt) {
        this.first = first;
        this.firstAt = firstAt;
    }

    /** The first reading; {@link #finish} takes the second. */
    public static TargetProfile start(Connection readOnly) throws SQLException {
        return new TargetProfile(read(readOnly), System.nanoTime());
    }

    public TargetProfile finish(Connection readOnly) throws SQLException {
        Map<String, Reading> second = read(readOnly);
        seconds = Math.max(0.001, (System.nanoTime() - firstAt) / 1e9);
        Map<String, Table> result = new HashMap<>();
        second.forEach((name, now) -> {
            Reading then = first.getOrDefault(name, now);
            result.put(name, new Table(name, now.tableBytes(), now.totalBytes(), now.rows(),
                    Math.max(0, now.writes() - then.writes()) / seconds, Math.max(0, now.reads() - then.reads()) / seconds));
        });
        tables = result;
        return this;
    }

    /** How long the traffic was sampled. */
    public double sampledSeconds() {
        return seconds;
    }

    /** The table by the name a report uses ({@code orders} in public, else {@code schema.table}). */
    public Optional<Table> table(String name) {
        Table table = tables.get(name);
        if (table == null && name.startsWith("public.")) {
            table = tables.get(name.substring("public.".length()));
        }
        return Optional.ofNullable(table);
    }

    private static Map<String, Reading> read(Connection connection) throws SQLException {
        Map<String, Reading> readings = new HashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                String name = "public".equals(rs.getString(1)) ? rs.getString(2) : rs.getString(1) + "." + rs.getString(2);
                readings.put(name, new Reading(rs.getLong(3), rs.getLong(4), rs.getDouble(5), rs.getLong(6), rs.getLong(7)));
            }
        }
        return readings;
    }
}
