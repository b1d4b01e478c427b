package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bson.Document;

/**
 * What the server does per second: operation counters, page faults and assertions, as rates
 * between two serverStatus samples. The counters are totals since start-up, so a single sample
 * says nothing about now. The interval is measured on the server ({@code uptimeMillis}).
 */
final class ActivityCheck extends MongoCheck {

    static final Threshold SAMPLE = Threshold.number("sample_millis", 1000, "ms",
            "length of the serverStatus sample for rates (at most a quarter of the time left)");

    static final Threshold PAGE_FAULTS_WARNING = Threshold.number("page_faults_warning_per_second", 100, "/s",
            "WARNING from this many page faults per second");

    static final Threshold USER_ASSERTS_WARNING = Threshold.number("user_asserts_warning_per_second", 100, "/s",
            "WARNING from this many user assertions per second");

    @Override
    public List<Threshold> thresholds() {
        return List.of(SAMPLE, PAGE_FAULTS_WARNING, USER_ASSERTS_WARNING);
    }

    private static final List<String> OPERATIONS = List.of("insert", "query", "update", "delete", "getmore", "command");

    // asserts.tripwire exists from 6.0 on.
    private static final List<String> ASSERTS = List.of("regular", "warning", "user", "tripwire");

    /**
     * The second sample's own counters, as the server counts them since start-up: monitoring
     * ({@code dbtool serve}) takes rates over its whole scrape history from these, where the
     * per-second metrics above cover only this check's short sample.
     */
    private static final Set<String> COUNTERS = Stream.concat(OPERATIONS.stream().map(o -> "opcounters_" + o),
            ASSERTS.stream().map(a -> "asserts_" + a)).collect(Collectors.toUnmodifiableSet());

    @Override
    public Set<String> counters() {
        return COUNTERS;
    }

    ActivityCheck() {
        super("activity", Category.RESOURCES, "opcounters, page faults and asserts per second over a short sample (serverStatus)");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_ASSERTS", "MONGO_PAGE_FAULTS");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        Document first = session.serverStatus(context);
        Instant takenAt = session.serverStatusTakenAt();
        // The sample: sample_millis after the first serverStatus (which may be older), and at most a
        // quarter of the time left, so the checks after this one still get theirs.
        long wanted = (long) SAMPLE.value(context);
        long elapsed = takenAt == null ? 0 : Duration.between(takenAt, Instant.now()).toMillis();
        long wait = Math.min(Math.max(0, wanted - elapsed), context.remaining().toMillis() / 4);
        if (wait > 0) {
            Thread.sleep(wait);
        }
        Document second = session.run("admin", new Document("serverStatus", 1), context);
        return interpret(first, second, context);
    }

    static CheckResult interpret(Document first, Document second, CheckContext context) {
        double seconds = (Docs.longValue(second, "uptimeMillis") - Docs.longValue(first, "uptimeMillis")) / 1000.0;
        CheckResult.Builder result = CheckResult.builder();
        if (seconds <= 0) {
            result.metric("sample_seconds", 0);
            counters(second, result);
            return result.build();
        }
        result.metric("sample_seconds", round(seconds));
        Map<String, Object> rates = new LinkedHashMap<>();
        double total = 0;
        for (String operation : OPERATIONS) {
            double rate = rate(first, second, "opcounters." + operation, seconds);
            total += rate;
            rates.put(operation, round(rate));
            result.metric(operation + "_per_second", round(rate));
        }
        result.metric("operations_per_second", round(total));
        double replicated = 0;
        for (String operation : OPERATIONS) {
            replicated += rate(first, second, "opcountersRepl." + operation, seconds);
        }
        result.metric("replicated_operations_per_second", round(replicated));

        // extra_info.page_faults exists on Linux and Windows; absent elsewhere.
        double faults = rate(first, second, "extra_info.page_faults", seconds);
        result.metric("page_faults_per_second", round(faults));
        if (faults >= PAGE_FAULTS_WARNING.value(context)) {
            result.add(Finding.of("MONGO_PAGE_FAULTS", Severity.WARNING, Math.round(faults) + " page faults per second")
                    .detail("The server reads pages from disk that are not in memory: the working set does not fit in RAM "
                            + "(WiredTiger cache plus the file system cache), or the host swaps.")
                    .evidence("pageFaultsPerSecond", round(faults))
                    .evidence("operationsPerSecond", rates)
                    .recommendation("Check the host's memory and swap (free -m, vmstat 1) and the wiredtiger-cache check; "
                            + "look for collection scans in the slow-operations and profiler checks.")
                    .playbook(playbook("MONGO_PAGE_FAULTS")).build());
        }

        // asserts.tripwire exists from 6.0 on; regular and warning asserts are server-side errors.
        double regular = rate(first, second, "asserts.regular", seconds) + rate(first, second, "asserts.warning", seconds)
                + rate(first, second, "asserts.tripwire", seconds);
        double user = rate(first, second, "asserts.user", seconds);
        result.metric("regular_asserts_per_second", round(regular)).metric("user_asserts_per_second", round(user));
        if (regular > 0) {
            result.add(Finding.of("MONGO_ASSERTS", Severity.WARNING, "The server raised internal assertions during the sample ("
                            + round(regular) + " per second)")
                    .detail("Regular, warning and tripwire assertions are errors inside the server, not in the application's requests.")
                    .evidence("asserts", Docs.plain(Docs.doc(second, "asserts")))
                    .recommendation("Read the server log around now for \"Assertion\" lines: db.adminCommand({getLog: \"global\"})")
                    .playbook(playbook("MONGO_ASSERTS")).build());
        } else if (user >= USER_ASSERTS_WARNING.value(context)) {
            result.add(Finding.of("MONGO_ASSERTS", Severity.INFO, Math.round(user) + " user assertions per second")
                    .detail("User assertions are failed requests: duplicate keys, validation errors, bad queries, "
                            + "authorization failures. A sudden rise points at a deployment or a misbehaving client.")
                    .evidence("asserts", Docs.plain(Docs.doc(second, "asserts")))
                    .recommendation("Find the failing requests in the server log (\"errmsg\" in slow query lines) or in the application's logs.")
                    .playbook(playbook("MONGO_ASSERTS")).build());
        }
        counters(second, result);
        return result.build();
    }

    /** The counters a server has (no tripwire before 6.0): one it does not have is left out, not 0. */
    private static void counters(Document second, CheckResult.Builder result) {
        OPERATIONS.forEach(o -> Docs.number(second, "opcounters." + o).ifPresent(n -> result.metric("opcounters_" + o, n.longValue())));
        ASSERTS.forEach(a -> Docs.number(second, "asserts." + a).ifPresent(n -> result.metric("asserts_" + a, n.longValue())));
    }

    private static double rate(Document first, Document second, String path, double seconds) {
        double delta = Docs.doubleValue(second, path) - Docs.doubleValue(first, path);
        // A counter that went down rolled over (asserts.rollovers) or the server restarted: no rate.
        return delta < 0 ? 0 : delta / seconds;
    }
}
