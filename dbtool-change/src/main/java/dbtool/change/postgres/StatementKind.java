package dbtool.change.postgres;

import dbtool.change.migrate.SqlScript;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PostgreSQL's documentation says a statement does, read from its text: the lock it takes
 * (when the dry run could not see it, and for {@code change plan}, which measures nothing), whether
 * it scans the table, the tables whose rows or shape it changes (for the restore point), and the
 * safer form of a risky statement. Checked against PostgreSQL 12-17 ("ALTER TABLE", "Explicit Locking").
 *
 * @param lock    the strongest table lock, or null when the text does not say
 * @param table   the table it works on (schema-qualified when written so), or null
 * @param scans   whether it reads the whole table (index build, constraint validation)
 */
public record StatementKind(String lock, String table, boolean scans, List<String> saferForms) {

    static final String IDENT = "((?:\"[^\"]+\"|[\\w$]+)(?:\\.(?:\"[^\"]+\"|[\\w$]+))?)";
    private static final Pattern ALTER_TABLE = Pattern.compile("^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?" + IDENT, Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_INDEX = Pattern.compile(
            "^CREATE (?:UNIQUE )?INDEX (CONCURRENTLY )?(?:IF NOT EXISTS )?(?:" + IDENT + " )?ON (?:ONLY )?" + IDENT, Pattern.CASE_INSENSITIVE);
    private static final Pattern DROP_TABLE = Pattern.compile("^DROP TABLE (?:IF EXISTS )?" + IDENT, Pattern.CASE_INSENSITIVE);
    private static final Pattern DML = Pattern.compile("^(?:INSERT INTO|UPDATE (?:ONLY )?|DELETE FROM (?:ONLY )?|TRUNCATE (?:TABLE )?(?:ONLY )?)"
            + IDENT, Pattern.CASE_INSENSITIVE);
    private static final Pattern NO_DATA = Pattern.compile(
            "^(CREATE (OR REPLACE )?(TABLE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|TYPE|SEQUENCE|SCHEMA|EXTENSION|DOMAIN|TRIGGER|ROLE)"
                    + "|COMMENT ON|GRANT|REVOKE|SET |RESET |DROP (INDEX|VIEW|FUNCTION|PROCEDURE|TYPE|SEQUENCE|TRIGGER|SCHEMA|EXTENSION)|ANALYZE)",
            Pattern.CASE_INSENSITIVE);

    public static StatementKind of(SqlScript.Statement statement) {
        String sql = statement.upper();
        List<String> safer = new ArrayList<>();
        Matcher index = CREATE_INDEX.matcher(sql);
        if (index.find()) {
            boolean concurrently = index.group(1) != null;
            if (!concurrently) {
                safer.add("CREATE INDEX CONCURRENTLY (in a migration of its own: it cannot run in a transaction) takes "
                        + "SHARE UPDATE EXCLUSIVE and lets writes go on");
            }
            return new StatementKind(concurrently ? "ShareUpdateExclusiveLock" : "ShareLock", name(statement, index.group(3)), true, safer);
        }
        Matcher alter = ALTER_TABLE.matcher(sql);
        if (alter.find()) {
            String table = name(statement, alter.group(1));
            String rest = sql.substring(alter.end());
            boolean notValid = rest.contains("NOT VALID");
            if (rest.contains("VALIDATE CONSTRAINT")) {
                return new StatementKind("ShareUpdateExclusiveLock", table, true, safer);
            }
            if (rest.matches(".*ADD (CONSTRAINT \\S+ )?FOREIGN KEY.*") || rest.matches(".*ADD (CONSTRAINT \\S+ )?CHECK.*")
                    || rest.matches(".*ADD COLUMN .* REFERENCES .*")) {
                boolean foreign = rest.contains("FOREIGN KEY") || rest.contains("REFERENCES");
                if (!notValid) {
                    safer.add("ADD CONSTRAINT ... NOT VALID (no scan), then ALTER TABLE ... VALIDATE CONSTRAINT in a later migration "
                            + "(SHARE UPDATE EXCLUSIVE: reads and writes go on)");
                }
                return new StatementKind(foreign ? "ShareRowExclusiveLock" : "AccessExclusiveLock", table, !notValid, safer);
            }
            if (rest.matches(".*ADD (CONSTRAINT \\S+ )?(PRIMARY KEY|UNIQUE).*") && !rest.contains("USING INDEX")) {
                safer.add("CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX (a short lock)");
                return new StatementKind("AccessExclusiveLock", table, true, safer);
            }
            if (rest.matches(".*ALTER (COLUMN )?\\S+ (SET DATA )?TYPE .*")) {
                safer.add("add a new column, backfill it in batches, then switch readers and drop the old one "
                        + "(a type change that is not binary-compatible rewrites the table under ACCESS EXCLUSIVE)");
                return new StatementKind("AccessExclusiveLock", table, true, safer);
            }
            if (rest.matches(".*SET NOT NULL.*")) {
                safer.add("ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL "
                        + "(PostgreSQL 12+ skips the scan when a valid check constraint proves it)");
                return new StatementKind("AccessExclusiveLock", table, true, safer);
            }
            if (rest.matches(".*ADD (COLUMN )?.* DEFAULT .*")) {
                safer.add("a constant (non-volatile) default adds the column without a rewrite; for a volatile one add the column "
                        + "without a default, backfill in batches, then SET DEFAULT");
            }
            if (rest.matches(".*\\b(SET STATISTICS|SET \\(|RESET \\(|CLUSTER ON|SET WITHOUT CLUSTER)\\b.*")) {
                return new StatementKind("ShareUpdateExclusiveLock", table, false, safer);
            }
            return new StatementKind("AccessExclusiveLock", table, false, safer);
        }
        Matcher drop = DROP_TABLE.matcher(sql);
        if (drop.find()) {
            return new StatementKind("AccessExclusiveLock", name(statement, drop.group(1)), false, safer);
        }
        Matcher dml = DML.matcher(sql);
        if (dml.find()) {
            boolean truncate = sql.startsWith("TRUNCATE");
            return new StatementKind(truncate ? "AccessExclusiveLock" : "RowExclusiveLock", name(statement, dml.group(1)), !truncate,
                    truncate ? safer : List.of("batches of a few thousand rows, each in its own transaction, keep row locks short"));
        }
        return new StatementKind(null, null, false, safer);
    }

    /** Whether the text alone says which existing tables' rows or shape the statement changes. */
    public static boolean known(SqlScript.Statement statement) {
        return of(statement).table() != null || NO_DATA.matcher(statement.upper()).find();
    }

    /**
     * The existing tables a migration changes, for the restore point; empty when a statement's text
     * does not say (a DO block, a function call): then the whole database is the restore point.
     */
    public static Optional<Set<String>> touchedTables(List<SqlScript.Statement> statements) {
        Set<String> tables = new LinkedHashSet<>();
        for (SqlScript.Statement s : statements) {
            if (!known(s)) {
                return Optional.empty();
            }
            StatementKind kind = of(s);
            if (kind.table() != null) {
                tables.add(kind.table());
            }
        }
        return Optional.of(tables);
    }

    /** The identifier as written (quoted names keep their case; unquoted ones fold to lower case). */
    private static String name(SqlScript.Statement statement, String upperName) {
        if (upperName == null) {
            return null;
        }
        // find the same identifier in the original text to keep quoted case
        Matcher original = Pattern.compile(Pattern.quote(upperName), Pattern.CASE_INSENSITIVE)
                .matcher(statement.sql().replaceAll("\\s+", " "));
        String found = original.find() ? original.group() : upperName;
        StringBuilder out = new StringBuilder();
        for (String part : found.split("\\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            out.append(out.isEmpty() ? "" : ".").append(part.startsWith("\"") ? part.substring(1, part.length() - 1) : part.toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
