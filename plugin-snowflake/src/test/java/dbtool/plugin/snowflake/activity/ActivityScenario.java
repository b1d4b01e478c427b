package dbtool.plugin.snowflake.activity;

import dbtool.testkit.snowflake.CannedResult;
import dbtool.testkit.snowflake.SnowflakeResponder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small Snowflake account behind the responder for {@code dbtool top}: queries with a start time,
 * a status and a scan speed, transactions with their locks, warehouses. Every answer is worked out
 * from that state when the statement arrives, as the account would: elapsed time and bytes scanned
 * grow with the clock between two refreshes (so the view's I/O rate is a real difference), the
 * warehouses' running and queued counts are those of the queries on them, SHOW LOCKS lists what the
 * transactions hold and wait for, and a query that ends leaves QUERY_HISTORY's unfinished rows and
 * its operator statistics become readable (GET_QUERY_OPERATOR_STATS answers completed queries only).
 *
 * <p>The staged incident: ANALYST_JO left a transaction open 25 minutes ago holding ORDERS; ETL_SVC's
 * UPDATE waits for it (BLOCKED); BI_USER's report scans SALES on ETL_WH at 50 MB/s, and an earlier run
 * of the same statement completed; a second report queues behind it; dbtool's own statement is in the
 * history too, tagged, and must not show.
 */
public final class ActivityScenario {

    public static final String ACCOUNT = "TESTACCT";
    public static final String USER = "monitor";
    public static final String PASSWORD = "Corr3ct-Horse-Battery";

    public static final long HEAD_TXN = 1_733_560_000_000_000_001L;
    public static final long WAITING_TXN = HEAD_TXN + 1;
    public static final String HEAD_LOCK_QUERY = "01bc0a00-0000-4e2a-0000-00000000000a";
    public static final String BLOCKED = "01bc0a00-0000-4e2a-0000-00000000000b";
    /** The blocked query's tag: JSON with the application's trace context, as sessions set it with ALTER SESSION SET QUERY_TAG. */
    public static final String BLOCKED_TAG = "{\"service\": \"nightly-load\", \"traceparent\": \"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}";
    public static final String REPORT = "01bc0a00-0000-4e2a-0000-00000000000c";
    public static final String QUEUED = "01bc0a00-0000-4e2a-0000-00000000000d";
    public static final String EARLIER_REPORT = "01bc0a00-0000-4e2a-0000-00000000000e";
    public static final String OWN = "01bc0a00-0000-4e2a-0000-00000000000f";
    public static final String REPORT_HASH = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    public static final long REPORT_BYTES_PER_SECOND = 50L * 1024 * 1024;

    static final String[] QUERY_COLUMNS = {"QUERY_ID", "SESSION_ID:fixed", "USER_NAME", "ROLE_NAME", "DATABASE_NAME", "WAREHOUSE_NAME",
            "WAREHOUSE_SIZE", "QUERY_TAG", "EXECUTION_STATUS", "START_TIME:timestamp_ltz", "ELAPSED_MS:fixed", "QUEUED_OVERLOAD_TIME:fixed",
            "QUEUED_PROVISIONING_TIME:fixed", "TRANSACTION_BLOCKED_TIME:fixed", "BYTES_SCANNED:fixed", "QUERY_PARAMETERIZED_HASH", "QUERY_TEXT"};
    static final String[] LOCK_COLUMNS = {"resource", "type", "transaction:fixed", "transaction_started_on:timestamp_ltz", "status",
            "acquired_on:timestamp_ltz", "query_id"};
    static final String[] TRANSACTION_COLUMNS = {"id:fixed", "user", "session:fixed", "name", "started_on:timestamp_ltz", "state", "scope:fixed"};
    static final String[] WAREHOUSE_COLUMNS = {"name", "state", "type", "size", "running:fixed", "queued:fixed", "is_current"};
    static final String[] RUN_COLUMNS = {"QUERY_ID", "END_TIME:timestamp_ltz", "TOTAL_ELAPSED_TIME:fixed"};
    static final String[] OPERATOR_COLUMNS = {"OPERATOR_ID:fixed", "OPERATOR_TYPE", "TIME_PERCENT:real", "INPUT_ROWS:fixed", "OUTPUT_ROWS:fixed",
            "PARTITIONS_SCANNED:fixed", "PARTITIONS_TOTAL:fixed", "SPILLED_LOCAL:fixed", "SPILLED_REMOTE:fixed", "TABLE_NAME"};

    /** A query as the account keeps it; {@code ended} null while it has not finished. */
    static final class Query {
        final String id;
        final long session;
        final String user;
        final String warehouse;
        final String tag;
        final Instant start;
        final long bytesPerSecond;
        final String hash;
        final String text;
        volatile String status;
        volatile Instant ended;

        Query(String id, long session, String user, String warehouse, String tag, String status, Instant start, long bytesPerSecond,
              String hash, String text) {
            this.id = id;
            this.session = session;
            this.user = user;
            this.warehouse = warehouse;
            this.tag = tag;
            this.status = status;
            this.start = start;
            this.bytesPerSecond = bytesPerSecond;
            this.hash = hash;
            this.text = text;
        }
    }

    record Lock(String resource, long transaction, Instant transactionStarted, String status, Instant acquired, String queryId) {
    }

    record Transaction(long id, String user, long session, Instant started) {
    }

    private final Clock clock;
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final List<Transaction> transactions = new CopyOnWriteArrayList<>();
    private final List<Lock> locks = new CopyOnWriteArrayList<>();

    private ActivityScenario(Clock clock) {
        this.clock = clock;
        Instant now = clock.instant();
        Instant headStarted = now.minus(Duration.ofMinutes(25));
        Instant waiterStarted = now.minus(Duration.ofMinutes(6));
        transactions.add(new Transaction(HEAD_TXN, "ANALYST_JO", 4711, headStarted));
        transactions.add(new Transaction(WAITING_TXN, "ETL_SVC", 5001, waiterStarted));
        locks.add(new Lock("DIAG.PUBLIC.ORDERS", HEAD_TXN, headStarted, "HOLDING", now.minus(Duration.ofMinutes(24)), HEAD_LOCK_QUERY));
        locks.add(new Lock("DIAG.PUBLIC.ORDERS", WAITING_TXN, waiterStarted, "WAITING", waiterStarted, BLOCKED));
        Query head = new Query(HEAD_LOCK_QUERY, 4711, "ANALYST_JO", "DIAG_WH", null, "SUCCESS", headStarted.plusSeconds(60), 0, "11aa",
                "UPDATE orders SET status = 'HELD' WHERE id = 7");
        head.ended = headStarted.plusSeconds(61);
        queries.add(head);
        queries.add(new Query(BLOCKED, 5001, "ETL_SVC", "ETL_WH", BLOCKED_TAG, "BLOCKED", waiterStarted, 0, "22bb",
                "UPDATE orders SET status = 'SHIPPED' WHERE shipped_at < CURRENT_DATE"));
        queries.add(new Query(REPORT, 6001, "BI_USER", "ETL_WH", "tableau", "RUNNING", now.minus(Duration.ofMinutes(10)), REPORT_BYTES_PER_SECOND,
                REPORT_HASH, "SELECT region, SUM(amount) FROM sales s JOIN customers c ON s.customer_id = c.id GROUP BY region"));
        queries.add(new Query(QUEUED, 6002, "BI_USER", "ETL_WH", "tableau", "QUEUED", now.minusSeconds(20), 0, "33cc",
                "SELECT * FROM sales WHERE day = CURRENT_DATE"));
        Query earlier = new Query(EARLIER_REPORT, 5900, "BI_USER", "ETL_WH", "tableau", "SUCCESS", now.minus(Duration.ofHours(3)), 0, REPORT_HASH,
                "SELECT region, SUM(amount) FROM sales s JOIN customers c ON s.customer_id = c.id GROUP BY region");
        earlier.ended = earlier.start.plus(Duration.ofMinutes(14));
        queries.add(earlier);
        queries.add(new Query(OWN, 9999, USER.toUpperCase(Locale.ROOT), "DIAG_WH", "dbtool", "RUNNING", now, 0, "44dd",
                "SELECT QUERY_ID ... FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(...))"));
    }

    /** The incident on a new responder, with the view's statements answered from the account's state. */
    public static ActivityScenario start() {
        return start(Clock.systemUTC());
    }

    static ActivityScenario start(Clock clock) {
        return new ActivityScenario(clock);
    }

    /** A responder for the account whose view statements are answered from this scenario's state. */
    public SnowflakeResponder responder() {
        SnowflakeResponder responder = SnowflakeResponder.start(ACCOUNT).passwordUser(USER, PASSWORD);
        install(responder);
        return responder;
    }

    public void install(SnowflakeResponder responder) {
        responder.answer(SnowflakeActivity.QUERIES, this::queryHistory);
        responder.answer(SnowflakeActivity.LOCKS_IN_ACCOUNT, this::locks);
        responder.answer(SnowflakeActivity.TRANSACTIONS_IN_ACCOUNT, this::transactions);
        responder.answer(SnowflakeActivity.LOCKS_OWN, this::locks);
        responder.answer(SnowflakeActivity.TRANSACTIONS_OWN, this::transactions);
        responder.answer(SnowflakeActivity.WAREHOUSES, this::warehouses);
        for (Query query : queries) {
            responder.answer(SnowflakePlan.operatorStats(query.id), () -> operatorStats(query.id));
            responder.answer(SnowflakePlan.latestRun(query.hash), () -> latestRun(query.hash));
        }
    }

    /** The report finishes: it leaves the unfinished rows, and its queued follower starts running. */
    public void reportFinishes() {
        Query report = find(REPORT);
        report.status = "SUCCESS";
        report.ended = clock.instant();
        find(QUEUED).status = "RUNNING";
    }

    /** ANALYST_JO commits: the head's lock goes, the waiter takes it and its UPDATE runs. */
    public void headCommits() {
        transactions.removeIf(t -> t.id() == HEAD_TXN);
        locks.removeIf(l -> l.transaction() == HEAD_TXN);
        List<Lock> granted = new ArrayList<>();
        for (Lock lock : locks) {
            granted.add("WAITING".equals(lock.status())
                    ? new Lock(lock.resource(), lock.transaction(), lock.transactionStarted(), "HOLDING", clock.instant(), lock.queryId()) : lock);
        }
        locks.clear();
        locks.addAll(granted);
        find(BLOCKED).status = "RUNNING";
    }

    private Query find(String id) {
        return queries.stream().filter(q -> q.id.equals(id)).findFirst().orElseThrow();
    }

    CannedResult queryHistory() {
        Instant now = clock.instant();
        CannedResult result = CannedResult.columns(QUERY_COLUMNS);
        for (Query q : queries) {
            if (q.ended != null) {
                continue;
            }
            long elapsed = Duration.between(q.start, now).toMillis();
            boolean queued = q.status.equals("QUEUED");
            result.row(q.id, q.session, q.user, q.user.equals("BI_USER") ? "REPORTING" : "SYSADMIN", "DIAG", q.warehouse,
                    q.warehouse.equals("ETL_WH") ? "Medium" : "X-Small", q.tag, q.status, q.start, elapsed, queued ? elapsed : 0, 0,
                    q.status.equals("BLOCKED") ? elapsed : 0, q.bytesPerSecond * elapsed / 1000, q.hash, q.text);
        }
        return result;
    }

    CannedResult locks() {
        CannedResult result = CannedResult.columns(LOCK_COLUMNS);
        for (Lock lock : locks) {
            result.row(lock.resource(), "PARTITIONS", lock.transaction(), lock.transactionStarted(), lock.status(), lock.acquired(), lock.queryId());
        }
        return result;
    }

    CannedResult transactions() {
        CannedResult result = CannedResult.columns(TRANSACTION_COLUMNS);
        for (Transaction txn : transactions) {
            result.row(txn.id(), txn.user(), txn.session(), "", txn.started(), "running", 0);
        }
        return result;
    }

    CannedResult warehouses() {
        CannedResult result = CannedResult.columns(WAREHOUSE_COLUMNS);
        for (String name : List.of("DIAG_WH", "ETL_WH", "LOAD_WH")) {
            long running = queries.stream().filter(q -> q.ended == null && q.warehouse.equals(name) && !"dbtool".equals(q.tag)
                    && q.status.equals("RUNNING")).count();
            long queued = queries.stream().filter(q -> q.ended == null && q.warehouse.equals(name) && q.status.equals("QUEUED")).count();
            result.row(name, name.equals("LOAD_WH") ? "SUSPENDED" : "STARTED", "STANDARD", name.equals("ETL_WH") ? "Medium" : "X-Small",
                    running, queued, name.equals("DIAG_WH") ? "Y" : "N");
        }
        return result;
    }

    CannedResult latestRun(String hash) {
        CannedResult result = CannedResult.columns(RUN_COLUMNS);
        queries.stream().filter(q -> q.hash.equals(hash) && q.ended != null && q.status.equals("SUCCESS"))
                .max((a, b) -> a.ended.compareTo(b.ended))
                .ifPresent(q -> result.row(q.id, q.ended, Duration.between(q.start, q.ended).toMillis()));
        return result;
    }

    /** Operator statistics exist once a query has completed; the report's plan has a big scan, an exploding join and a spill. */
    CannedResult operatorStats(String queryId) {
        CannedResult result = CannedResult.columns(OPERATOR_COLUMNS);
        Query query = find(queryId);
        if (query.ended == null) {
            return result;
        }
        if (query.hash.equals(REPORT_HASH)) {
            result.row(0, "Result", 0.4, 4, 4, null, null, 0, 0, null)
                    .row(1, "Aggregate", 18.5, 41_000_000L, 4, null, null, 0, 0, null)
                    .row(2, "InnerJoin", 14.1, 2_100_000L, 41_000_000L, null, null, 0, 0, null)
                    .row(3, "TableScan", 61.9, null, 2_000_000L, 1180, 1200, 0, 0, "DIAG.PUBLIC.SALES")
                    .row(4, "TableScan", 1.1, null, 100_000L, 3, 3, 0, 0, "DIAG.PUBLIC.CUSTOMERS")
                    .row(5, "Sort", 4.0, 41_000_000L, 41_000_000L, null, null, 0, 2_254_857_830L, null);
        } else {
            result.row(0, "Result", 50.0, 1, 1, null, null, 0, 0, null)
                    .row(1, "Update", 50.0, 1, 1, null, null, 0, 0, "DIAG.PUBLIC.ORDERS");
        }
        return result;
    }
}
