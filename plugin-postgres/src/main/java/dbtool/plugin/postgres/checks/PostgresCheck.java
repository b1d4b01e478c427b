package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.AbstractCheck;
import dbtool.spi.CheckContext;
import dbtool.spi.Threshold;
import java.util.List;

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

    static String playbook(String name) {
        return "docs/playbooks/" + name + ".md";
    }
}
