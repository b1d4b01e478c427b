package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EngineSession;
import java.util.Map;

/** What every SQL Server check shares: the session cast, row helpers and where playbooks live. */
abstract class SqlServerCheck implements Check {

    private final String id;
    private final String category;
    private final String description;

    SqlServerCheck(String id, String category, String description) {
        this.id = id;
        this.category = category;
        this.description = description;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String category() {
        return category;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final CheckResult run(EngineSession session, CheckContext context) throws Exception {
        return run((SqlServerSession) session, context);
    }

    protected abstract CheckResult run(SqlServerSession session, CheckContext context) throws Exception;

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
