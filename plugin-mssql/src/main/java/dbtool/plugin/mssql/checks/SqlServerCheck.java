package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.AbstractCheck;
import java.util.Map;

/** What every SQL Server check shares: the session cast, row helpers and where playbooks live. */
abstract class SqlServerCheck extends AbstractCheck<SqlServerSession> {

    SqlServerCheck(String id, String category, String description) {
        super(SqlServerSession.class, id, category, description);
    }

    static String playbook(String anchor) {
        return "docs/sqlserver.md#" + anchor;
    }

    static long number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value instanceof Number n ? n.longValue() : 0;
    }

    static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString().replaceAll("\\s+", " ").trim();
    }

    static String human(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
    }
}
