package dbtool.plugin.mariadb.checks;

import static dbtool.toolkit.Format.duration;

import dbtool.plugin.mariadb.Flavour;
import dbtool.plugin.mariadb.MariaDbSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * This server as a replica: whether its IO and SQL threads run, their last errors, and the lag.
 * MariaDB lists every source with SHOW ALL SLAVES STATUS; MySQL 8.0.22+ says SHOW REPLICA STATUS
 * with Replica_/Source_ column names, older MySQL SHOW SLAVE STATUS with Slave_/Master_ ones.
 */
final class ReplicationCheck extends MariaDbCheck {

    @Override
    public List<Threshold> thresholds() {
        return List.of(MariaDbThresholds.LAG_WARNING, MariaDbThresholds.LAG_CRITICAL);
    }

    static final String MARIADB = "SHOW ALL SLAVES STATUS";
    static final String MYSQL = "SHOW REPLICA STATUS";
    static final String MYSQL_BEFORE_8_0_22 = "SHOW SLAVE STATUS";

    ReplicationCheck() {
        super("replication", Category.RESOURCES, "replica IO and SQL threads, their last errors, and lag behind the source");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MARIADB_REPLICATION_BROKEN", "MARIADB_REPLICATION_LAG");
    }

    @Override
    protected CheckResult check(MariaDbSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows;
        try {
            if (session.flavour() == Flavour.MARIADB) {
                rows = session.query(MARIADB, context);
            } else {
                try {
                    rows = session.query(MYSQL, context);
                } catch (SQLException e) {
                    if (e.getErrorCode() != 1064) {
                        throw e;
                    }
                    rows = session.query(MYSQL_BEFORE_8_0_22, context);
                }
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1227) {
                throw new SQLException("cannot read the replica status: the account needs the REPLICATION CLIENT privilege"
                        + " (MariaDB 10.5+: SLAVE MONITOR)", e.getSQLState(), e.getErrorCode(), e);
            }
            throw e;
        }
        return interpret(rows, MariaDbThresholds.LAG_WARNING.value(context),
                MariaDbThresholds.LAG_CRITICAL.value(context)).build();
    }

    static CheckResult.Builder interpret(List<Map<String, Object>> rows, double warning, double critical) {
        CheckResult.Builder result = CheckResult.builder().metric("is_replica", !rows.isEmpty()).metric("replication_channels", rows.size());
        long worstLag = -1;
        for (Map<String, Object> row : rows) {
            String channel = first(row, "Connection_name", "Channel_Name");
            String source = first(row, "Master_Host", "Source_Host") + ":" + first(row, "Master_Port", "Source_Port");
            String io = first(row, "Slave_IO_Running", "Replica_IO_Running");
            String sql = first(row, "Slave_SQL_Running", "Replica_SQL_Running");
            Long lag = lag(row);
            String ioError = Format.printable(first(row, "Last_IO_Error"), 300);
            String sqlError = Format.printable(first(row, "Last_SQL_Error"), 300);
            String name = channel.isEmpty() ? "replication from " + source : "replication channel '" + Format.printable(channel, 60) + "' from " + source;
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("channel", Format.printable(channel, 60));
            evidence.put("source", Format.printable(source, 120));
            evidence.put("ioRunning", io);
            evidence.put("sqlRunning", sql);
            evidence.put("lagSeconds", lag);
            evidence.put("lastIoErrno", Values.longValue(row, "Last_IO_Errno"));
            evidence.put("lastIoError", ioError);
            evidence.put("lastSqlErrno", Values.longValue(row, "Last_SQL_Errno"));
            evidence.put("lastSqlError", sqlError);
            evidence.put("gtid", Format.printable(first(row, "Gtid_IO_Pos", "Executed_Gtid_Set"), 200));
            boolean ioOk = io.equalsIgnoreCase("Yes");
            boolean sqlOk = sql.equalsIgnoreCase("Yes");
            if (!ioOk || !sqlOk) {
                boolean errors = !ioError.isEmpty() || !sqlError.isEmpty();
                List<String> broken = new ArrayList<>();
                if (!ioOk) {
                    broken.add("IO thread " + (io.isEmpty() ? "not running" : io.toLowerCase(Locale.ROOT)));
                }
                if (!sqlOk) {
                    broken.add("SQL thread " + (sql.isEmpty() ? "not running" : sql.toLowerCase(Locale.ROOT)));
                }
                String noun = row.containsKey("Replica_IO_Running") ? "REPLICA" : "SLAVE";
                String forChannel = channel.isEmpty() ? "" : " '" + channel.replace("'", "''") + "'";
                result.add(Finding.of("MARIADB_REPLICATION_BROKEN", errors ? Severity.CRITICAL : Severity.WARNING,
                                name + ": " + String.join(", ", broken) + (errors ? "" : " (stopped without an error)"))
                        .detail(!sqlError.isEmpty() ? "The SQL thread stopped on: " + sqlError
                                : !ioError.isEmpty() ? "The IO thread cannot read from the source: " + ioError
                                : "Replication was stopped (STOP " + noun + ") or never started; the data falls behind the source.")
                        .evidence(evidence)
                        .recommendation(!sqlError.isEmpty()
                                ? "Look at the failing event (SHOW " + noun + forChannel + " STATUS, the error log) and fix the data"
                                + " difference it reveals; skipping events hides data drift. Then START " + noun + forChannel + ";"
                                : !ioError.isEmpty()
                                ? "Check that the source is reachable from this replica, the replication account and its password,"
                                + " and that the source still has the binary logs the replica needs; then START " + noun + forChannel + ";"
                                : "If nobody stopped it on purpose: START " + noun + forChannel + ";")
                        .playbook(playbook("mariadb-replication")).build());
                continue;
            }
            if (lag != null) {
                worstLag = Math.max(worstLag, lag);
                if (lag >= warning) {
                    result.add(Finding.of("MARIADB_REPLICATION_LAG", lag >= critical ? Severity.CRITICAL : Severity.WARNING,
                                    name + " is " + duration(lag) + " behind")
                            .detail("Seconds_Behind_Master compares the replica's clock with the timestamp of the event it applies:"
                                    + " a long transaction on the source, a large batch, or a replica short of I/O or CPU.")
                            .evidence(evidence)
                            .recommendation("See what the SQL thread applies (SHOW PROCESSLIST on the replica, its system user"
                                    + " rows); consider parallel replication (slave_parallel_threads / replica_parallel_workers).")
                            .playbook(playbook("mariadb-replication")).build());
                }
            }
        }
        if (worstLag >= 0) {
            result.metric("replication_lag_seconds", worstLag);
        }
        return result;
    }

    private static Long lag(Map<String, Object> row) {
        Object value = Values.get(row, "Seconds_Behind_Master");
        if (value == null) {
            value = Values.get(row, "Seconds_Behind_Source");
        }
        return Values.longOrNull(Map.of("v", value == null ? "" : value), "v");
    }

    private static String first(Map<String, Object> row, String... columns) {
        for (String column : columns) {
            Object value = Values.get(row, column);
            if (value != null) {
                return value.toString();
            }
        }
        return "";
    }
}
