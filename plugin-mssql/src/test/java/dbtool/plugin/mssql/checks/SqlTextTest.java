package dbtool.plugin.mssql.checks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.plugin.mssql.ServerInfo;
import java.util.Map;
import java.util.TreeMap;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped T-SQL statement parses, so a syntax slip fails the build instead of an incident. */
class SqlTextTest {

    static Map<String, String> statements() {
        Map<String, String> all = new TreeMap<>();
        all.put("server-info", ServerInfo.SQL);
        all.put("connection", ConnectionCheck.SQL);
        all.put("connection-availability-groups", ConnectionCheck.AVAILABILITY_SQL);
        all.put("blocking", BlockingCheck.SQL);
        all.put("lock-waits", LockWaitsCheck.SQL);
        all.put("open-transactions", OpenTransactionsCheck.SQL);
        all.put("deadlocks", DeadlocksCheck.SQL);
        all.put("waits", WaitStatsCheck.SQL);
        all.put("cpu", CpuCheck.SQL);
        all.put("memory", MemoryCheck.SQL);
        all.put("workers", WorkersCheck.SQL);
        all.put("tempdb-space", TempdbCheck.SPACE_SQL);
        all.put("tempdb-version-store", TempdbCheck.VERSION_STORE_SQL);
        all.put("tempdb-snapshot-transactions", TempdbCheck.SNAPSHOT_SQL);
        all.put("log-space", LogSpaceCheck.SQL);
        all.put("log-space-azure", LogSpaceCheck.AZURE_SQL);
        all.put("long-requests", LongRequestsCheck.SQL);
        all.put("top-statements-cpu", TopStatementsCheck.BY_CPU_SQL);
        all.put("top-statements-elapsed", TopStatementsCheck.BY_ELAPSED_SQL);
        return all;
    }

    static java.util.stream.Stream<String> names() {
        return statements().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("names")
    void parses(String name) {
        String sql = statements().get(name);
        assertDoesNotThrow(() -> CCJSqlParserUtil.parse(sql, parser -> parser.withSquareBracketQuotation(true)), name);
    }

    @org.junit.jupiter.api.Test
    void everyCheckHasItsStatementsHere() {
        // A new check with a statement that is not listed above would go unparsed.
        assertEquals(13, SqlServerChecks.all().size(), "add the new check's statements to statements()");
    }
}
