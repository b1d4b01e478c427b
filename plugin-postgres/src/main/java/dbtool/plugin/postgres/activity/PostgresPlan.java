package dbtool.plugin.postgres.activity;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.spi.QueryPlan;
import dbtool.toolkit.Values;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The plan of a session's statement from its text in pg_stat_activity, by EXPLAIN without ANALYZE:
 * the statement is planned, never run. PostgreSQL 16+ plans a text with parameters ($1) through
 * EXPLAIN (GENERIC_PLAN); older servers cannot, and say so. Planning takes ACCESS SHARE locks on the
 * tables: the session's lock_timeout gives up on a table that another session holds exclusively,
 * so the view never queues behind the locks it shows, and says why there is no plan.
 */
public final class PostgresPlan {

    /** Statements EXPLAIN accepts; anything else (COMMIT, VACUUM, a utility command) has no plan. */
    private static final Set<String> EXPLAINABLE = Set.of("select", "with", "values", "table", "insert", "update", "delete", "merge");
    private static final Pattern PARAMETER = Pattern.compile("\\$\\d+");
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private PostgresPlan() {
    }

    public static QueryPlan explain(PostgresSession session, ActiveSession watched, CheckContext context) throws SQLException {
        String text = watched.query() == null ? "" : watched.query().strip();
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        String refused = refusal(text, watched, session.database());
        if (refused != null) {
            return QueryPlan.unavailable(refused);
        }
        int limit = textLimit(session, context);
        if (text.getBytes(StandardCharsets.UTF_8).length >= limit - 1) {
            // pg_stat_activity keeps the first track_activity_query_size bytes: planning a cut text would fail or mislead.
            return QueryPlan.unavailable("the statement's text is cut at track_activity_query_size (" + limit + " bytes)");
        }
        Explain chosen = explain(text, PARAMETER.matcher(text).find() ? session.serverVersion() : 0);
        if (chosen.unavailable() != null) {
            return QueryPlan.unavailable(chosen.unavailable());
        }
        try {
            List<Map<String, Object>> rows = session.query(chosen.statement(), context);
            return QueryPlan.of(rows.stream().map(row -> Values.text(row, "QUERY PLAN")).toList());
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return QueryPlan.unavailable("a table it uses is locked by another session: planning waited "
                        + session.settings().lockTimeout().toMillis() + " ms (the lock timeout) and gave up");
            }
            return QueryPlan.unavailable("EXPLAIN failed: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip());
        }
    }

    /**
     * The EXPLAIN sent for a statement's text, or why none is: never ANALYZE. A text with parameters
     * ($1, as an extended-protocol client leaves it in pg_stat_activity) is planned by EXPLAIN
     * (GENERIC_PLAN), which PostgreSQL 16 added; older servers cannot plan it and say so.
     *
     * @param statement   what is sent, or null
     * @param unavailable why nothing is sent, or null
     */
    record Explain(String statement, String unavailable) {
    }

    /**
     * The statement for this text on this server version ({@code server_version_num}, e.g. 160004);
     * the version is only looked at for a text with parameters.
     */
    static Explain explain(String text, int serverVersion) {
        if (!PARAMETER.matcher(text).find()) {
            return new Explain("EXPLAIN " + text, null);
        }
        if (serverVersion < 160000) {
            return new Explain(null, "the statement has parameters ($1...): planning it needs EXPLAIN (GENERIC_PLAN), "
                    + "PostgreSQL 16 or later (this server runs " + serverVersion / 10000 + ")");
        }
        return new Explain("EXPLAIN (GENERIC_PLAN) " + text, null);
    }

    /** track_activity_query_size in bytes (pg_settings gives it in its unit, bytes; SHOW would say "1kB"). */
    private static int textLimit(PostgresSession session, CheckContext context) throws SQLException {
        Map<String, Object> row = session.queryOne("SELECT setting::int AS bytes FROM pg_settings WHERE name = 'track_activity_query_size'", context);
        return (int) Values.longValue(row, "bytes");
    }

    /** Why this text is not planned at all, or null. */
    static String refusal(String text, ActiveSession watched, String database) {
        if (text.isEmpty()) {
            return "the session shows no statement";
        }
        if (watched.database() != null && !watched.database().equals(database)) {
            return "the session runs in database " + watched.database() + " and dbtool is connected to " + database
                    + ": run top on a target for that database to plan it";
        }
        String first = text.split("[\\s(]+", 2)[0].toLowerCase(Locale.ROOT);
        if (!EXPLAINABLE.contains(first)) {
            return "a " + first.toUpperCase(Locale.ROOT) + " statement has no plan";
        }
        if (text.contains(";")) {
            // Several statements in one text (a simple-protocol batch): EXPLAIN takes one.
            return "the text holds several statements";
        }
        return null;
    }
}
