package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Database and WAL sizes. pg_database_size() walks the files and takes no relation locks, so it is
 * safe while tables are locked; it needs CONNECT on the database, which is checked first.
 */
final class SizesCheck extends PostgresCheck {

    // PostgreSQL 12-17.
    private static final String DATABASES = """
            SELECT datname AS database,
                   CASE WHEN has_database_privilege(datname, 'CONNECT') THEN pg_database_size(datname) END AS bytes
            FROM pg_database
            WHERE datallowconn
            ORDER BY 2 DESC NULLS LAST
            LIMIT 10
            """;

    // pg_ls_waldir() needs superuser or pg_monitor; without them the WAL size is simply not reported.
    private static final String WAL = "SELECT coalesce(sum(size), 0)::bigint AS bytes, count(*) AS segments FROM pg_ls_waldir()";

    SizesCheck() {
        super("sizes", Category.RESOURCES, "database sizes and the size of pg_wal");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_SIZES");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> databases = session.query(DATABASES, context);
        Long walBytes = null;
        try {
            walBytes = Values.longValue(session.queryOne(WAL, context), "bytes");
        } catch (SQLException e) {
            // no privilege for pg_ls_waldir(): reported without the WAL figure
        }
        return interpret(databases, walBytes, context);
    }

    /**
     * What the rows of {@link #DATABASES} and the WAL size (null when pg_ls_waldir() may not be read)
     * say, apart from the server: fixture rows in the tests take the queries' place.
     */
    static CheckResult interpret(List<Map<String, Object>> databases, Long walBytes, CheckContext context) {
        CheckResult.Builder result = CheckResult.builder()
                .metric("total_database_bytes", databases.stream().mapToLong(r -> Values.longValue(r, "bytes")).sum());
        if (walBytes != null) {
            result.metric("wal_bytes", walBytes);
        }
        return result.add(Finding.of("PG_SIZES", Severity.INFO, "Largest database: " + (databases.isEmpty() ? "-"
                                : Values.text(databases.getFirst(), "database") + " " + Format.bytes(Values.longValue(databases.getFirst(), "bytes")))
                                + (walBytes == null ? "" : "; pg_wal holds " + Format.bytes(walBytes)))
                .evidence("databases", databases.stream().map(SizesCheck::row).toList())
                .playbook(playbook("pg-sizes")).build()).build();
    }

    /** One row of the databases table, its columns in a fixed order (Map.of's order changes from run to run). */
    private static Map<String, Object> row(Map<String, Object> database) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("database", Values.text(database, "database"));
        row.put("size", database.get("bytes") == null ? "no CONNECT privilege" : Format.bytes(Values.longValue(database, "bytes")));
        return row;
    }
}
