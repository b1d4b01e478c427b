package dbtool.plugin.snowflake.checks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.snowflake.ReadOnlyStatements;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The statements the checks send, read as text: each is one read-only statement, and the
 * INFORMATION_SCHEMA ones select only columns the documented views have (a typo in a column name
 * would otherwise surface only against a real account).
 */
class QueryTextTest {

    static final List<String> ALL = List.of(ConnectionCheck.SESSION, WarehouseCheck.WAREHOUSES, BlockedTransactionsCheck.LOCKS_IN_ACCOUNT,
            BlockedTransactionsCheck.LOCKS_OWN, BlockedTransactionsCheck.TRANSACTIONS_IN_ACCOUNT, BlockedTransactionsCheck.TRANSACTIONS_OWN,
            BlockedTransactionsCheck.BLOCKED_QUERIES, WarehouseLoadCheck.LOAD, QueuedQueriesCheck.QUEUED, SpillingCheck.SPILLING,
            CreditsCheck.CREDITS_TODAY, CreditsCheck.MONITORS, LongQueriesCheck.RUNNING, SlowestQueriesCheck.SLOWEST,
            ActivityCheck.QUERIES, ActivityCheck.LOGINS);

    /** Columns of INFORMATION_SCHEMA.QUERY_HISTORY used here, as documented. */
    static final List<String> QUERY_HISTORY = List.of("QUERY_ID", "QUERY_TEXT", "SESSION_ID", "USER_NAME", "ROLE_NAME", "WAREHOUSE_NAME",
            "WAREHOUSE_SIZE", "QUERY_TAG", "EXECUTION_STATUS", "START_TIME", "END_TIME", "TOTAL_ELAPSED_TIME", "BYTES_SCANNED",
            "EXECUTION_TIME", "QUEUED_PROVISIONING_TIME", "QUEUED_OVERLOAD_TIME", "TRANSACTION_BLOCKED_TIME",
            "BYTES_SPILLED_TO_LOCAL_STORAGE", "BYTES_SPILLED_TO_REMOTE_STORAGE");
    static final List<String> LOAD_HISTORY = List.of("START_TIME", "END_TIME", "WAREHOUSE_NAME", "AVG_RUNNING", "AVG_QUEUED_LOAD",
            "AVG_QUEUED_PROVISIONING", "AVG_BLOCKED");
    static final List<String> LOGIN_HISTORY = List.of("EVENT_TIMESTAMP", "USER_NAME", "CLIENT_IP", "REPORTED_CLIENT_TYPE",
            "FIRST_AUTHENTICATION_FACTOR", "IS_SUCCESS", "ERROR_CODE", "ERROR_MESSAGE");
    static final List<String> METERING_HISTORY = List.of("START_TIME", "END_TIME", "WAREHOUSE_NAME", "CREDITS_USED");

    @Test
    void everyStatementIsOneReadOnlyStatement() {
        for (String sql : ALL) {
            assertDoesNotThrow(() -> ReadOnlyStatements.require(sql), sql);
        }
    }

    @Test
    void writesAndStatementBatchesAreRefusedBeforeTheyLeave() {
        for (String sql : List.of("UPDATE t SET x = 1", "SELECT 1; DROP TABLE t", "  /* hi */ CALL SYSTEM$ABORT_TRANSACTION(1)",
                "ALTER SESSION SET QUERY_TAG = 'x'", "SELECT SYSTEM$ABORT_TRANSACTION(1); COMMIT")) {
            SQLException refused = assertThrows(SQLException.class, () -> ReadOnlyStatements.require(sql), sql);
            assertEquals("25006", refused.getSQLState());
        }
    }

    @Test
    void informationSchemaStatementsSelectDocumentedColumns() {
        check(BlockedTransactionsCheck.BLOCKED_QUERIES, QUERY_HISTORY);
        check(QueuedQueriesCheck.QUEUED, QUERY_HISTORY);
        check(SpillingCheck.SPILLING, QUERY_HISTORY);
        check(LongQueriesCheck.RUNNING, QUERY_HISTORY);
        check(SlowestQueriesCheck.SLOWEST, QUERY_HISTORY);
        check(WarehouseLoadCheck.LOAD, LOAD_HISTORY);
        check(CreditsCheck.CREDITS_TODAY, METERING_HISTORY);
        check(ActivityCheck.QUERIES, QUERY_HISTORY);
        check(ActivityCheck.LOGINS, LOGIN_HISTORY);
    }

    /** The select list's source columns (aliases and function wrappers removed) must be documented ones. */
    private static void check(String sql, List<String> documented) {
        Matcher select = Pattern.compile("(?is)SELECT(.*?)\\bFROM\\s+TABLE\\(").matcher(sql);
        assertTrue(select.find(), sql);
        for (String item : select.group(1).split(",(?![^(]*\\))")) {
            String expression = item.trim().replaceAll("(?i)\\s+AS\\s+\\w+$", "").replaceAll("'[^']*'", "''");
            Matcher identifiers = Pattern.compile("\\b[A-Z][A-Z_]+\\b").matcher(expression);
            while (identifiers.find()) {
                String identifier = identifiers.group();
                if (List.of("LEFT", "SUM", "DATEDIFF", "CURRENT_TIMESTAMP", "COUNT", "COUNT_IF", "COALESCE", "LIKE").contains(identifier)) {
                    continue;
                }
                assertTrue(documented.contains(identifier), "column " + identifier + " is not documented for this view: " + sql);
            }
        }
    }
}
