package dbtool.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL Server and MongoDB cannot run here: their logs are fixtures that follow the documented
 * formats (ERRORLOG: UTF-16LE with a BOM, "Error: N, Severity: S, State: X." before its message;
 * MongoDB 4.4+: one JSON object a line with t, s, c, id, ctx, msg, attr).
 */
class EngineLogsTest {

    @TempDir
    Path dir;

    @Test
    void sqlServerErrorLogInUtf16NamesFailedLoginsByUserAndHost() throws Exception {
        String errorlog = """
                2024-03-11 09:15:02.31 Server      Microsoft SQL Server 2022 (RTM-CU11) (KB5032679) - 16.0.4105.2 (X64)\r
                	Nov 14 2023 18:33:19\r
                	Copyright (C) 2022 Microsoft Corporation\r
                2024-03-11 09:15:02.31 Server      UTC adjustment: 0:00\r
                2024-03-11 09:20:11.45 Logon       Error: 18456, Severity: 14, State: 8.\r
                2024-03-11 09:20:11.45 Logon       Login failed for user 'app'. Reason: Password did not match that for the login provided. [CLIENT: 10.0.0.5]\r
                2024-03-11 09:20:12.45 Logon       Error: 18456, Severity: 14, State: 8.\r
                2024-03-11 09:20:12.45 Logon       Login failed for user 'app'. Reason: Password did not match that for the login provided. [CLIENT: 10.0.0.5]\r
                2024-03-11 09:20:13.01 Logon       Error: 18456, Severity: 14, State: 5.\r
                2024-03-11 09:20:13.01 Logon       Login failed for user 'sa'. Reason: Could not find a login matching the name provided. [CLIENT: 10.0.0.6]\r
                2024-03-11 09:22:00.00 spid60      Error: 9002, Severity: 17, State: 2.\r
                2024-03-11 09:22:00.00 spid60      The transaction log for database 'orders' is full due to 'LOG_BACKUP'.\r
                2024-03-11 09:23:00.00 Backup      Log was backed up. Database: orders, creation date(time): 2024/01/01(10:00:00), pages dumped: 3.\r
                2024-03-11 09:24:00.00 Logon       Login succeeded for user 'app'. Connection made using SQL Server authentication. [CLIENT: 10.0.0.5]\r
                """;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0xFF);
        bytes.write(0xFE);
        bytes.write(errorlog.getBytes(StandardCharsets.UTF_16LE));
        Path log = Files.write(dir.resolve("ERRORLOG"), bytes.toByteArray());

        LogsRun run = LogsRun.run(dir, log.toString(), "--format", "json");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("sqlserver", run.json().getAsJsonObject("target").get("engine").getAsString());
        JsonObject logins = run.finding("MSSQL_LOG_LOGIN_FAILURES");
        assertNotNull(logins, run.toString());
        JsonObject evidence = logins.getAsJsonObject("evidence");
        assertEquals(3, evidence.get("count").getAsInt());
        assertEquals(2, evidence.getAsJsonObject("byUser").get("app").getAsInt());
        assertEquals(2, evidence.getAsJsonObject("byHost").get("10.0.0.5").getAsInt());
        assertNotNull(run.finding("MSSQL_LOG_TRANSACTION_LOG_FULL"), run.toString());
        assertTrue(run.finding("LOG_PATTERNS").toString().contains("\"code\":\"18456\""), run.toString());
        assertTrue(run.finding("LOG_ROUTINE").toString().contains("Log was backed up"), run.toString());
        assertTrue(run.finding("LOG_PATTERNS").toString().contains("Copyright"), "continuation lines join their entry: " + run);
    }

    @Test
    void mongoStructuredLogNamesAuthFailuresSlowQueriesAndRefusedConnections() throws Exception {
        String log = """
                {"t":{"$date":"2024-03-11T09:15:02.310+00:00"},"s":"I","c":"NETWORK","id":22943,"ctx":"listener","msg":"Connection accepted","attr":{"remote":"10.0.0.5:51234","connectionId":12,"connectionCount":3}}
                {"t":{"$date":"2024-03-11T09:15:02.320+00:00"},"s":"I","c":"ACCESS","id":20249,"ctx":"conn12","msg":"Authentication failed","attr":{"mechanism":"SCRAM-SHA-256","speculative":false,"principalName":"app","authenticationDatabase":"admin","remote":"10.0.0.5:51234","extraInfo":{},"error":"AuthenticationFailed: SCRAM authentication failed, storedKey mismatch"}}
                {"t":{"$date":"2024-03-11T09:15:03.320+00:00"},"s":"I","c":"ACCESS","id":20249,"ctx":"conn13","msg":"Authentication failed","attr":{"mechanism":"SCRAM-SHA-256","speculative":false,"principalName":"app","authenticationDatabase":"admin","remote":"10.0.0.5:51240","extraInfo":{},"error":"AuthenticationFailed: SCRAM authentication failed, storedKey mismatch"}}
                {"t":{"$date":"2024-03-11T09:16:00.000+00:00"},"s":"I","c":"COMMAND","id":51803,"ctx":"conn14","msg":"Slow query","attr":{"type":"command","ns":"shop.orders","command":{"find":"orders","filter":{"status":"open"}},"planSummary":"COLLSCAN","durationMillis":1534}}
                {"t":{"$date":"2024-03-11T09:17:00.000+00:00"},"s":"I","c":"NETWORK","id":22942,"ctx":"listener","msg":"Connection refused because there are too many open connections","attr":{"remote":"10.0.0.7:40000","connectionCount":819}}
                {"t":{"$date":"2024-03-11T09:18:00.000+00:00"},"s":"I","c":"NETWORK","id":22944,"ctx":"conn12","msg":"Connection ended","attr":{"remote":"10.0.0.5:51234","connectionId":12,"connectionCount":2}}
                """;
        Path file = Files.writeString(dir.resolve("mongod.log"), log);
        LogsRun run = LogsRun.run(dir, file.toString(), "--format", "json");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("mongodb", run.json().getAsJsonObject("target").get("engine").getAsString());
        JsonObject auth = run.finding("MONGO_LOG_AUTH_FAILURES").getAsJsonObject("evidence");
        assertEquals(2, auth.getAsJsonObject("byUser").get("app").getAsInt(), auth.toString());
        assertEquals(2, auth.getAsJsonObject("byHost").get("10.0.0.5").getAsInt(), auth.toString());
        assertEquals(1534, run.finding("MONGO_LOG_SLOW_QUERIES").getAsJsonObject("evidence").get("maxDurationMillis").getAsInt());
        assertNotNull(run.finding("MONGO_LOG_TOO_MANY_CONNECTIONS"), run.toString());
    }

    @Test
    void aLogCauseListsTheTraceContextOfItsStatementsWithLinks() throws Exception {
        String log = """
                2026-12-07 10:00:01.000 UTC [101] ERROR:  canceling statement due to lock timeout
                2026-12-07 10:00:01.000 UTC [101] STATEMENT:  UPDATE orders SET state = 'paid' WHERE id = 1 /*application='billing',traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/
                2026-12-07 10:00:02.000 UTC [102] ERROR:  canceling statement due to lock timeout
                2026-12-07 10:00:02.000 UTC [102] STATEMENT:  UPDATE orders SET state = 'paid' WHERE id = 2 /*traceparent='00-00000000000000000000000000000000-00f067aa0ba902b7-01'*/
                """;
        Path file = Files.writeString(dir.resolve("pg.log"), log);
        Files.writeString(dir.resolve("none.json"), "{\"tracing\": {\"link\": \"https://tempo.example/trace/{traceId}\"}}");
        LogsRun run = LogsRun.run(dir, file.toString(), "--format", "json");

        JsonObject finding = run.finding("PG_LOG_LOCK_TIMEOUTS");
        assertNotNull(finding, run.toString());
        var traces = finding.getAsJsonObject("evidence").getAsJsonArray("traces");
        assertEquals(1, traces.size(), "the all-zero trace id is no trace: " + traces);
        JsonObject trace = traces.get(0).getAsJsonObject();
        assertEquals(1, trace.get("line").getAsLong());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", trace.get("traceId").getAsString());
        assertEquals("billing", trace.get("service").getAsString());
        assertEquals("https://tempo.example/trace/4bf92f3577b34da6a3ce929d0e0e4736", trace.get("traceUrl").getAsString());
    }

    @Test
    void sinceKeepsOnlyTheLaterEntries() throws Exception {
        String log = """
                2020-01-01 10:00:01.000 UTC [101] FATAL:  password authentication failed for user "old"
                2020-01-01 11:00:01.000 CET [102] FATAL:  password authentication failed for user "cet"
                2020-01-01 10:30:01.000 +00 [103] FATAL:  password authentication failed for user "new"
                not a timestamp [104] FATAL:  password authentication failed for user "kept"
                """;
        Path file = Files.writeString(dir.resolve("pg.log"), log);
        LogsRun run = LogsRun.run(dir, file.toString(), "--since", "2020-01-01T10:00:02Z", "--format", "json");
        JsonObject byUser = run.finding("PG_LOG_AUTH_FAILURES").getAsJsonObject("evidence").getAsJsonObject("byUser");
        // 11:00:01 CET is 10:00:01 UTC: before; the line without a readable time is kept, not dropped unread
        assertEquals("{\"kept\":1,\"new\":1}", byUser.toString(), run.toString());

        assertEquals(64, LogsRun.run(dir, file.toString(), "--since", "yesterday").exitCode());
        LogsRun recent = LogsRun.run(dir, file.toString(), "--since", "10m", "--format", "json");
        assertEquals(1, recent.finding("PG_LOG_AUTH_FAILURES").getAsJsonObject("evidence").get("count").getAsInt(), recent.toString());
    }

    @Test
    void aDashReadsStandardInputAndLeavesItOpen() throws Exception {
        java.io.InputStream saved = System.in;
        boolean[] closed = {false};
        System.setIn(new java.io.ByteArrayInputStream("job 1 done\njob 2 done\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        });
        try {
            LogsRun run = LogsRun.run(dir, "templates", "-", "--layout", "message");
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(2, run.out().lines().filter(l -> l.contains("\"template\":\"job <*> done\"")).count(), run.out());
            assertTrue(!closed[0], "standard input stays open for the shell");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void jsonlEmitsOneEnrichedEventPerEntry() throws Exception {
        Path file = Files.writeString(dir.resolve("app.log"), "job 17 finished in 30 ms\njob 18 finished in 41 ms\n");
        LogsRun run = LogsRun.run(dir, file.toString(), "--layout", "message", "--format", "jsonl");
        assertEquals(0, run.exitCode(), run.toString());
        String[] lines = run.out().strip().split("\n");
        assertEquals(2, lines.length, run.out());
        JsonObject second = com.google.gson.JsonParser.parseString(lines[1]).getAsJsonObject();
        assertEquals("job <*> finished in <*> ms", second.get("template").getAsString());
        assertEquals("[\"18\",\"41\"]", second.get("parameters").toString());
        assertEquals(2, second.get("line").getAsInt());
    }

    /** PostgreSQL with log_statement=ddl logs CREATE ROLE ... PASSWORD '...' word for word: no output format shows it. */
    @Test
    void passwordsInLoggedStatementsAreMaskedInEveryFormat() throws Exception {
        Path file = Files.writeString(dir.resolve("postgresql.log"), """
                2026-12-07 13:01:02.123 UTC [101] LOG:  statement: CREATE ROLE app LOGIN PASSWORD 'LoggedS3cret'
                2026-12-07 13:01:03.123 UTC [102] LOG:  statement: ALTER ROLE app PASSWORD $$DollarLoggedS3cret$$
                2026-12-07 13:01:04.123 UTC [103] ERROR:  role "app" already exists
                2026-12-07 13:01:04.123 UTC [103] STATEMENT:  CREATE ROLE app LOGIN PASSWORD 'FailedS3cret'
                """);
        for (String format : List.of("text", "json", "jsonl")) {
            LogsRun run = LogsRun.run(dir, file.toString(), "--format", format);
            assertEquals(0, run.exitCode(), run.toString());
            for (String secret : List.of("LoggedS3cret", "DollarLoggedS3cret", "FailedS3cret")) {
                assertFalse(run.toString().contains(secret), format + " shows " + secret + ": " + run);
            }
            if (!format.equals("text")) {
                assertTrue(run.out().contains("PASSWORD '****'") || run.out().contains("PASSWORD $$****$$")
                        || run.out().contains("PASSWORD <*>"), format + " still shows the statements: " + run.out());
            }
        }
    }

    /** The lines Snowflake's plugin writes from LOGIN_HISTORY and QUERY_HISTORY (plugin-snowflake's ServerLogReadTest reads them from its double). */
    @Test
    void snowflakeFailedLoginsAndQueriesBecomeCausesByUserHostAndErrorCode() throws Exception {
        String events = """
                {"source":"snowflake","event":"login","timestamp":"2026-12-07T09:00:01.5Z","code":"390100","message":"Incorrect username or password was specified.","user":"ETL_SVC","host":"10.0.0.7","client":"JDBC_DRIVER","factor":"PASSWORD"}
                {"source":"snowflake","event":"login","timestamp":"2026-12-07T09:00:02Z","code":"390100","message":"Incorrect username or password was specified.","user":"ETL_SVC","host":"10.0.0.7","client":"JDBC_DRIVER","factor":"PASSWORD"}
                {"source":"snowflake","event":"login","timestamp":"2026-12-07T09:00:03Z","code":"390422","message":"Incoming request with IP/Token 203.0.113.9 is not allowed to access Snowflake.","user":"ADMIN","host":"203.0.113.9","client":"PYTHON_DRIVER","factor":"PASSWORD"}
                {"source":"snowflake","event":"query","timestamp":"2026-12-07T09:05:00Z","code":"000630","message":"Statement reached its statement or warehouse timeout of 60 second(s) and was canceled.","user":"BI_USER","warehouse":"BI_WH","status":"FAILED_WITH_ERROR","queryId":"01bc0001-0000-4e2a-0000-000000000011","statement":"SELECT * FROM big"}
                {"source":"snowflake","event":"query","timestamp":"2026-12-07T09:06:00Z","code":"000630","message":"Statement reached its statement or warehouse timeout of 60 second(s) and was canceled.","user":"BI_USER","warehouse":"BI_WH","status":"FAILED_WITH_ERROR","queryId":"01bc0001-0000-4e2a-0000-000000000012","statement":"SELECT * FROM bigger"}
                {"source":"snowflake","event":"query","timestamp":"2026-12-07T09:07:00Z","code":"002003","message":"SQL compilation error:\\nObject 'MISSING' does not exist or not authorized.","user":"ETL_SVC","warehouse":"ETL_WH","status":"FAILED_WITH_ERROR","queryId":"01bc0001-0000-4e2a-0000-000000000013","statement":"SELECT * FROM missing"}
                """;
        Path log = Files.writeString(dir.resolve("snowflake-events.jsonl"), events);
        LogsRun run = LogsRun.run(dir, log.toString(), "--format", "json");
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("snowflake", run.json().getAsJsonObject("target").get("engine").getAsString(), "the layout is read from the first line");
        JsonObject logins = run.finding("SF_LOG_LOGIN_FAILURES").getAsJsonObject("evidence");
        assertEquals(3, logins.get("count").getAsInt());
        assertEquals(2, logins.getAsJsonObject("byUser").get("ETL_SVC").getAsInt());
        assertEquals(2, logins.getAsJsonObject("byHost").get("10.0.0.7").getAsInt());
        assertEquals(1, logins.getAsJsonObject("byErrorCode").get("390422").getAsInt());
        JsonObject timeouts = run.finding("SF_LOG_STATEMENT_TIMEOUTS").getAsJsonObject("evidence");
        assertEquals(2, timeouts.getAsJsonObject("byWarehouse").get("BI_WH").getAsInt());
        JsonObject failed = run.finding("SF_LOG_FAILED_QUERIES").getAsJsonObject("evidence");
        assertEquals(3, failed.get("count").getAsInt());
        assertEquals(1, failed.getAsJsonObject("byErrorCode").get("002003").getAsInt());
        String patterns = run.finding("LOG_PATTERNS").toString();
        assertTrue(patterns.contains("login failed: Incorrect username or password was specified."), patterns);
        assertTrue(patterns.contains("\"code\":\"000630\""), patterns);
    }
}
