package dbtool.plugin.mariadb.checks;

import dbtool.spi.Threshold;

/**
 * The thresholds of the MariaDB/MySQL checks, each declared once (two checks share the lock ones):
 * {@code dbtool checks mariadb} lists them, and a misspelt key in the configuration is refused.
 */
final class MariaDbThresholds {

    static final Threshold RESTART_WARNING = Threshold.number("restart_warning_seconds", 600, "s",
            "MARIADB_RECENT_RESTART (INFO) when the server has been up less than this");
    static final Threshold BLOCKED_SESSIONS_CRITICAL = Threshold.number("blocked_sessions_critical", 5, "sessions",
            "CRITICAL from this many sessions waiting for a lock");
    static final Threshold LOCK_WAIT_CRITICAL = Threshold.number("lock_wait_critical_seconds", 60, "s",
            "CRITICAL when the longest lock wait reaches this");
    static final Threshold CONNECTIONS_WARNING = Threshold.number("connections_warning_ratio", 0.8, "ratio",
            "WARNING when connected threads reach this share of max_connections");
    static final Threshold CONNECTIONS_CRITICAL = Threshold.number("connections_critical_ratio", 0.95, "ratio",
            "CRITICAL when connected threads reach this share of max_connections");
    static final Threshold HIT_RATIO_WARNING = Threshold.number("buffer_pool_hit_ratio_warning", 0.95, "ratio",
            "WARNING when the buffer pool's hit ratio falls below this");
    static final Threshold MIN_READ_REQUESTS = Threshold.number("buffer_pool_min_read_requests", 100_000, "requests",
            "no hit-ratio finding before the buffer pool has served this many read requests");
    static final Threshold LAG_WARNING = Threshold.number("replication_lag_warning_seconds", 60, "s",
            "WARNING when a replica is this far behind its primary");
    static final Threshold LAG_CRITICAL = Threshold.number("replication_lag_critical_seconds", 600, "s",
            "CRITICAL when a replica is this far behind its primary");
    static final Threshold LONG_QUERY = Threshold.number("long_query_seconds", 60, "s",
            "WARNING for a statement running longer than this");
    static final Threshold LONG_QUERY_CRITICAL = Threshold.number("long_query_critical_seconds", 900, "s",
            "CRITICAL for a statement running longer than this");

    private MariaDbThresholds() {
    }
}
