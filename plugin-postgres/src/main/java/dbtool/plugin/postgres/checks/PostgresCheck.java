package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.AbstractCheck;
import dbtool.spi.CheckContext;
import dbtool.spi.Threshold;
import dbtool.spi.TraceContext;
import dbtool.toolkit.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every PostgreSQL check shares: the session cast, and where playbooks live.
 * Subclasses keep their SQL beside them as text blocks.
 */
abstract class PostgresCheck extends AbstractCheck<PostgresSession> {

    /** Declared by every check that looks at sessions (see {@link #clusterWide}). */
    static final Threshold SESSION_SCOPE = Threshold.choice("session_scope", List.of("cluster", "database"),
            "cluster: the sessions of the whole server; database: only the target's database; without it, cluster when the target's database is postgres");

    PostgresCheck(String id, String category, String description) {
        super(PostgresSession.class, id, category, description);
    }

    /**
     * Whether session-level checks look at the whole server or only at the target's database.
     * pg_stat_activity and pg_locks are server-wide; a target that names a database gets that
     * database's sessions, so a fleet of databases on one server is reported database by
     * database, while the maintenance database {@code postgres} (the usual way in for a DBA) sees
     * the whole server. The setting {@code session_scope} (cluster or database) overrides it.
     */
    static boolean clusterWide(PostgresSession session, CheckContext context) {
        return SESSION_SCOPE.choice(context).map("cluster"::equals).orElse(session.database().equals("postgres"));
    }

    /** Evidence describing the scope, so a reader knows what "all sessions" meant. */
    static String scope(PostgresSession session, CheckContext context) {
        return clusterWide(session, context) ? "server" : "database " + session.database();
    }

    /**
     * The sqlcommenter comment carrying a traceparent, wherever it stands in the whole statement text, as the
     * column {@code trace_comment}: the query column is cut to a few hundred characters, and sqlcommenter appends.
     * Non-capturing groups only: {@code substring(... from pattern)} returns the first captured group when there is one.
     */
    static final String TRACE_COMMENT = "substring(a.query from '/\\*(?:[^*]|\\*+[^*/])*traceparent(?:[^*]|\\*+[^*/])*\\*+/') AS trace_comment";

    /**
     * Session rows as evidence: {@code trace_comment} replaced by the trace context found in it, the query or the
     * application name ({@link TraceContext#addFound}).
     */
    static List<Map<String, Object>> withTraces(List<Map<String, Object>> rows, String queryColumn) {
        return rows.stream().map(row -> withTrace(row, queryColumn)).toList();
    }

    static Map<String, Object> withTrace(Map<String, Object> row, String queryColumn) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.remove("trace_comment");
        addTrace(copy, row, queryColumn);
        return copy;
    }

    /** Adds the trace context of a session row (see {@link #withTraces}) to its evidence node. */
    static void addTrace(Map<String, Object> node, Map<String, Object> row, String queryColumn) {
        TraceContext.addFound(node, Values.text(row, "trace_comment"), Values.text(row, queryColumn), Values.text(row, "application"));
    }

    static String playbook(String name) {
        return "docs/playbooks/" + name + ".md";
    }
}
