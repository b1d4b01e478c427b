package dbtool.change.report;

import java.util.List;

/**
 * What a dry run found: each pending migration's statements as measured on the clone and projected
 * onto the target. The JSON form ({@code --format json}) is this record as it stands.
 *
 * @param status OK when nothing blocks traffic for a second or more, RISKY when something does,
 *               FAILED when a statement failed on the clone
 */
public record DryRunReport(int schemaVersion, String target, String serverVersion, String cloneDescription, double sampledSeconds,
                           double rewriteBytesPerSecond, List<MigrationResult> migrations, List<String> warnings, String status) {

    /** One pending migration. */
    public record MigrationResult(String version, String script, List<StatementResult> statements) {
    }

    /** A held table lock: relation and PostgreSQL's mode name ({@code AccessExclusiveLock}). */
    public record LockResult(String relation, String mode) {
    }

    /**
     * One statement.
     *
     * @param risk        "high" (blocks traffic for a second or more), "low" or "none"
     * @param projection  the sentence: lock, rewrite or scan, what it blocks and for how long on the target
     * @param estimateMs  the projected time on the target
     */
    public record StatementResult(int line, String sql, List<LockResult> locks, List<String> rewritten, long cloneMs, String error,
                                  String table, long tableBytes, double writesPerSecond, double readsPerSecond, long estimateMs,
                                  String risk, String projection, List<String> saferForms) {
    }
}
