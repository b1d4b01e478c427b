package dbtool.plugin.mariadb.checks;

import static dbtool.toolkit.Format.duration;

import dbtool.plugin.mariadb.MariaDbSession;
import dbtool.plugin.mariadb.Rows;
import dbtool.spi.CheckContext;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every client session but dbtool's own, with its open InnoDB transaction if any: the nodes of the
 * blocking trees. information_schema.PROCESSLIST and INNODB_TRX are read from memory without
 * waiting on table locks. Needs the PROCESS privilege to see other accounts' sessions.
 */
final class Sessions {

    // MariaDB 10.5-11.4 and MySQL 8.0-8.4 (information_schema.PROCESSLIST is deprecated in MySQL 8, not removed).
    static final String SQL = """
            SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.DB AS db, p.COMMAND AS command, p.TIME AS seconds,
                   p.STATE AS state, LEFT(p.INFO, 300) AS query,
                   t.trx_state AS trx_state, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS trx_seconds,
                   t.trx_rows_locked AS rows_locked, t.trx_rows_modified AS rows_modified
            FROM information_schema.PROCESSLIST p
            LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
            WHERE p.ID <> CONNECTION_ID()
            """;

    private Sessions() {
    }

    static Map<Long, Map<String, Object>> read(MariaDbSession session, CheckContext context) throws SQLException {
        Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Map<String, Object> row : session.query(SQL, context)) {
            byId.put(Rows.longValue(row, "id"), row);
        }
        return byId;
    }

    /** Sleeping between statements with a transaction open: it holds its locks and will not finish by itself. */
    static boolean idleInTransaction(Map<String, Object> row) {
        return row != null && "Sleep".equalsIgnoreCase(Rows.text(row, "command")) && !Rows.text(row, "trx_state").isEmpty();
    }

    /** A node of a blocking tree: the session's id, a label a human reads, and its fields. */
    static Map<String, Object> node(long id, Map<String, Object> row) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", id);
        if (row == null) {
            node.put("label", "session " + id + " (ended)");
            return node;
        }
        node.put("label", label(id, row));
        node.put("user", Rows.line(row.get("user"), 80));
        node.put("host", Rows.line(row.get("host"), 80));
        node.put("db", Rows.line(row.get("db"), 80));
        node.put("command", Rows.text(row, "command"));
        node.put("state", Rows.line(row.get("state"), 80));
        node.put("seconds", Rows.longValue(row, "seconds"));
        node.put("trxSeconds", Rows.longOrNull(row, "trx_seconds"));
        node.put("rowsLocked", Rows.longOrNull(row, "rows_locked"));
        node.put("query", Rows.line(row.get("query"), 300));
        return node;
    }

    static String label(long id, Map<String, Object> row) {
        StringBuilder label = new StringBuilder("session ").append(id).append(' ');
        if (idleInTransaction(row)) {
            label.append("idle in transaction for ").append(duration(Rows.longValue(row, "seconds")));
        } else {
            label.append(Rows.text(row, "command").toLowerCase(Locale.ROOT));
            String state = Rows.line(row.get("state"), 60);
            if (!state.isEmpty()) {
                label.append(" (").append(state).append(")");
            }
            label.append(" for ").append(duration(Rows.longValue(row, "seconds")));
        }
        Long trx = Rows.longOrNull(row, "trx_seconds");
        if (trx != null) {
            label.append(", trx ").append(duration(trx));
        }
        label.append(", user ").append(Rows.line(row.get("user"), 40)).append('@').append(Rows.line(row.get("host"), 60));
        String query = Rows.line(row.get("query"), 80);
        if (!query.isEmpty()) {
            label.append(": ").append(query);
        }
        return label.toString();
    }

    /** The statement to end a head blocker, with the care note a human needs. */
    static String kill(long id, Map<String, Object> row) {
        if (idleInTransaction(row)) {
            return "KILL " + id + ";  -- idle in transaction: KILL QUERY has nothing to stop; KILL ends the connection and rolls back"
                    + " its transaction";
        }
        return "KILL QUERY " + id + ";  -- stops its statement; if the lock stays (the transaction is still open): KILL " + id + ";";
    }

    static List<Long> ids(List<Map<String, Object>> rows, String column) {
        return rows.stream().map(r -> Rows.longValue(r, column)).toList();
    }
}
