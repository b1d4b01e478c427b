package dbtool.top;

import static dbtool.testkit.tds.TdsScenario.mentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.plugin.mssql.SqlServerPlugin;
import dbtool.plugin.mssql.ServerInfo;
import dbtool.testkit.tds.TdsResponder;
import dbtool.testkit.tds.TdsResult;
import dbtool.testkit.tds.TdsScenario;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbtool top --once --format json} on SQL Server: the real plugin on jTDS, logged in to the
 * testkit's TDS responder on loopback, which answers the view's two statements with DMV rows.
 */
class TopSqlServerTest {

    private static final String[] LOAD = {"connections:int", "user_connections:int", "max_connections:int", "batch_requests:bigint",
            "transactions:bigint"};
    private static final String[] SESSIONS = {"session_id:int", "login_name", "database_name", "program_name", "client_net_address",
            "status", "command", "running_ms:bigint", "wait_type", "wait_resource", "blocking_session_id:int", "open_transaction_count:int",
            "dop:int", "cpu_ms:int", "io_pages:bigint", "sql_text"};
    private static final String[] LOCKS = {"session_id:int", "resource_type", "database_name", "entity_id:bigint", "request_mode",
            "request_status", "lock_count:int"};

    @TempDir
    Path home;

    private TdsResponder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    @Test
    void onceAsJsonShowsTheBlockingChainTheRatesAndTheKillStatement() throws Exception {
        TdsScenario scenario = new TdsScenario().login("monitor", "Tr0ub4dor3-Mssql").database("shop").server("SQLPROD01", 15, 0, 4345);
        scenario.answer(TdsScenario.statement(ServerInfo.SQL), TdsResult.columns("version", "edition", "engine_edition:int")
                .row("15.0.4345.5", "Enterprise Edition (64-bit)", 3));
        // two refreshes a second apart: 600 batches and 50 transactions in between
        scenario.answer(mentioning("dm_os_performance_counters"),
                TdsResult.columns(LOAD).row(41, 0, 32767, 5000L, 800L),
                TdsResult.columns(LOAD).row(41, 0, 32767, 5600L, 850L));
        scenario.answer(mentioning("sys.dm_exec_sql_text"),
                TdsResult.columns(SESSIONS)
                        .row(53, "app", "shop", "OrdersApi", "10.0.0.9", "suspended", "SELECT", 8_000L, "LCK_M_S",
                                "KEY: 5:72057594043236352 (8194443284a0)", 52, 0, 1, 0, 10L, "SELECT Total FROM Orders WHERE Id = 7")
                        .row(52, "billing", "shop", "BillingJob\u001b[2J", "10.0.0.8", "sleeping", null, 300_000L, null, null, 0, 1,
                                null, 40, 500L, null),
                TdsResult.columns(SESSIONS)
                        .row(53, "app", "shop", "OrdersApi", "10.0.0.9", "suspended", "SELECT", 9_000L, "LCK_M_S",
                                "KEY: 5:72057594043236352 (8194443284a0)", 52, 0, 1, 0, 10L, "SELECT Total FROM Orders WHERE Id = 7")
                        .row(52, "billing", "shop", "BillingJob\u001b[2J", "10.0.0.8", "sleeping", null, 301_000L, null, null, 0, 1,
                                null, 40, 500L, null));
        // the locks of the listed sessions, read once per refresh (sys.dm_tran_locks)
        TdsResult locks = TdsResult.columns(LOCKS)
                .row(53, "KEY", "shop", 72057594043236352L, "S", "WAIT", 1)
                .row(52, "KEY", "shop", 72057594043236352L, "X", "GRANT", 12)
                .row(52, "OBJECT", "shop", 1237579447L, "IX", "GRANT", 1);
        scenario.answer(mentioning("sys.dm_tran_locks"), locks, locks);
        responder = TdsResponder.start(scenario);
        String url = "sqlserver://monitor:Tr0ub4dor3-Mssql@" + responder.host() + ":" + responder.port() + "/shop";

        TopRun run = TopRun.run(TopRun.plugin(home, "sqlserver", "dbtool.plugin.mssql", new SqlServerPlugin()), home, false, null,
                url, "--once", "--format", "json", "--interval", "1");

        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of(), responder.unexpected(), "every statement the view sent had a canned answer");
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("sqlserver", json.getAsJsonObject("target").get("engine").getAsString());
        assertEquals("41 of 32767", json.getAsJsonObject("load").get("connections").getAsString());
        double batches = json.getAsJsonObject("ratesPerSecond").get("batch requests").getAsDouble();
        assertTrue(batches > 300 && batches <= 600, "600 batches over about a second, not the total since start: " + batches);
        JsonArray sessions = json.getAsJsonArray("sessions");
        JsonObject head = sessions.get(0).getAsJsonObject();
        assertEquals("52", head.get("id").getAsString(), "the sleeping session holding the lock heads the tree");
        assertEquals("KILL 52", head.get("terminate").getAsString());
        JsonObject waiter = sessions.get(1).getAsJsonObject();
        assertEquals(1, waiter.get("depth").getAsInt());
        assertEquals("52", waiter.getAsJsonArray("blockedBy").get(0).getAsString());
        assertEquals("Lock", waiter.get("waitType").getAsString());
        assertEquals("LCK_M_S", waiter.get("waitEvent").getAsString());
        assertTrue(run.out().contains("\"id\": \"53\""), run.out());
        assertEquals(3, json.get("statements").getAsInt(), "load, sessions and their locks; no parallel request, so no task waits");
        JsonArray headLocks = head.getAsJsonArray("locks");
        assertEquals("holds 12 X on KEY (hobt 72057594043236352) in shop", headLocks.get(1).getAsString(), headLocks.toString());
        assertEquals("holds IX on OBJECT 1237579447 in shop", headLocks.get(2).getAsString());
        assertEquals("waits for S on KEY (hobt 72057594043236352) in shop", waiter.getAsJsonArray("locks").get(1).getAsString());
        assertTrue(!run.out().contains("\u001b"), "the server's escape character never reaches the output raw");
    }
}
