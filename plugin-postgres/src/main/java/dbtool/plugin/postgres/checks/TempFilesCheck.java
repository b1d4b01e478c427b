package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import dbtool.toolkit.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sorts and hashes that spilled to temporary files, per database since the statistics reset. */
final class TempFilesCheck extends PostgresCheck {

    static final Threshold WARNING_BYTES = Threshold.number("temp_bytes_warning", 10L * 1024 * 1024 * 1024, "bytes",
            "WARNING from this many temp file bytes since the statistics reset (INFO below)");

    /** Counted by the server since its start or a statistics reset. */
    @Override
    public Set<String> counters() {
        return Set.of("temp_files", "temp_bytes");
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_BYTES);
    }

    // PostgreSQL 12-17.
    private static final String TEMP = """
            SELECT datname AS database, temp_files, temp_bytes, stats_reset::text AS since
            FROM pg_stat_database
            WHERE datname IS NOT NULL AND temp_files > 0
            ORDER BY temp_bytes DESC
            LIMIT 10
            """;

    TempFilesCheck() {
        super("temp-files", Category.RESOURCES, "temporary files written by sorts and hashes that did not fit in work_mem");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("PG_TEMP_FILES");
    }

    @Override
    protected CheckResult check(PostgresSession session, CheckContext context) throws Exception {
        List<Map<String, Object>> rows = session.query(TEMP, context);
        return interpret(rows, context);
    }

    /** What the rows say, apart from the server: fixture rows in the tests take the query's place. */
    static CheckResult interpret(List<Map<String, Object>> rows, CheckContext context) {
        long files = rows.stream().mapToLong(r -> Values.longValue(r, "temp_files")).sum();
        long bytes = rows.stream().mapToLong(r -> Values.longValue(r, "temp_bytes")).sum();
        CheckResult.Builder result = CheckResult.builder().metric("temp_files", files).metric("temp_bytes", bytes);
        if (rows.isEmpty()) {
            return result.build();
        }
        Severity severity = bytes >= WARNING_BYTES.value(context) ? Severity.WARNING : Severity.INFO;
        return result.add(Finding.of("PG_TEMP_FILES", severity,
                        files + " temporary files (" + Format.bytes(bytes) + ") written since the statistics were reset")
                .detail("Queries spill to disk when a sort or hash exceeds work_mem; heavy spilling competes for I/O.")
                .evidence("databases", rows)
                .recommendation("Find the spilling statements (log_temp_files = 0 logs each file, or pg_stat_statements temp_blks_written) "
                        + "and raise work_mem for them alone (SET work_mem in the session or ALTER ROLE ... SET work_mem).")
                .playbook(playbook("pg-temp-files")).build()).build();
    }
}
