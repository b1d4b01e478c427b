package dbtool.plugin.mariadb.checks;

import static dbtool.toolkit.Format.duration;

import dbtool.plugin.mariadb.MariaDbSession;
import dbtool.spi.CheckContext;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
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
            byId.put(Values.longValue(row, "id"), row);
        }
        return byId;
    }

    /** Sleeping between statements with a transaction open: it holds its locks and will not finish by itself. */
    static boolean idleInTransaction(Map<String, Object> row) {
        return row != null && "Sleep".equalsIgnoreCase(Values.text(row, "command")) && !Values.text(row, "trx_state").isEmpty();
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
        node.put("user", Format.printable(row.get("user"), 80));
        node.put("host", Format.printable(row.get("host"), 80));
        node.put("db", Format.printable(row.get("db"), 80));
        node.put("command", Values.text(row, "command"));
        node.put("state", Format.printable(row.get("state"), 80));
        node.put("seconds", Values.longValue(row, "seconds"));
        node.put("trxSeconds", Values.longOrNull(row, "trx_seconds"));
        node.put("rowsLocked", Values.longOrNull(row, "rows_locked"));
        node.put("query", Format.printable(row.get("query"), 300));
        return node;
    }

    static String label(long id, Map<String, Object> row) {
        StringBuilder label = new StringBuilder("session ").append(id).append(' ');
        if (idleInTransaction(row)) {
            label.append("idle in transaction for ").append(duration(Values.longValue(row, "seconds")));
        } else {
            label.append(Values.text(row, "command").toLowerCase(Locale.ROOT));
            String state = Format.printable(row.get("state"), 60);
            if (!state.isEmpty()) {
                label.append(" (").append(state).append(")");
            }
            label.append(" for ").append(duration(Values.longValue(row, "seconds")));
        }
        Long trx = Values.longOrNull(row, "trx_seconds");
        if (trx != null) {
            label.append(", trx ").append(duration(trx));
        }
        label.append(", user ").append(Format.printable(row.get("user"), 40)).append('@').append(Format.printable(row.get("host"), 60));
        String query = Format.printable(row.get("query"), 80);
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
        return rows.stream().map(r -> Values.longValue(r, column)).toList();
    }
}
