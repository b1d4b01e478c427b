package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * The slowest recent operations recorded by the database profiler ({@code system.profile}), in
 * the target's database or else in every user database. Databases where profiling is off have
 * no entries and are skipped; dbtool never turns profiling on (that would be a write).
 */
final class ProfilerCheck extends MongoCheck {

    static final Threshold WINDOW = Threshold.number("profiler_window_minutes", 60, "min",
            "how far back system.profile entries are read");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WINDOW, SlowOperationsCheck.WARNING_AGE);
    }

    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "local", "config");
    private static final int MAX_DATABASES = 20;
    private static final int TOP = 10;

    ProfilerCheck() {
        super("profiler", Category.QUERIES, "slowest recent entries of system.profile, where profiling is on");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_PROFILER_SLOW_QUERIES");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        List<String> databases;
        if (!session.url().database().isEmpty()) {
            databases = List.of(session.url().database());
        } else {
            Document list = session.run("admin", new Document("listDatabases", 1).append("nameOnly", true), context);
            databases = Docs.docs(list, "databases").stream().map(d -> Docs.text(d, "name"))
                    .filter(name -> !SYSTEM_DATABASES.contains(name)).limit(MAX_DATABASES).toList();
        }
        Instant since = Instant.now().minus(Duration.ofMinutes((long) WINDOW.value(context)));
        Map<String, List<Document>> entries = new LinkedHashMap<>();
        for (String database : databases) {
            if (context.remaining().toMillis() < 200) {
                break;
            }
            try {
                Document reply = session.run(database, new Document("find", "system.profile")
                        .append("filter", new Document("ts", new Document("$gte", Date.from(since))))
                        .append("sort", new Document("millis", -1))
                        .append("limit", TOP).append("singleBatch", true), context, true);
                entries.put(database, Docs.docs(reply, "cursor.firstBatch"));
            } catch (MongoCommandFailure e) {
                if (e.connectCause() != null) {
                    throw e;
                }
                // No read privilege on this database, or its lock is held: the others still count.
            }
        }
        return interpret(entries, context);
    }

    static CheckResult interpret(Map<String, List<Document>> entries, CheckContext context) {
        List<Document> all = new ArrayList<>();
        entries.values().forEach(all::addAll);
        // Our own commands carry dbtool's comment; leave them out.
        all.removeIf(e -> Docs.text(e, "command.comment").equals(MongoSession.COMMENT));
        long profiled = entries.values().stream().filter(list -> !list.isEmpty()).count();
        CheckResult.Builder result = CheckResult.builder().metric("databases_read", entries.size()).metric("profiled_databases", profiled);
        if (all.isEmpty()) {
            return result.build();
        }
        all.sort(Comparator.comparingLong((Document e) -> Docs.longValue(e, "millis")).reversed());
        List<Document> top = all.stream().limit(TOP).toList();
        long slowest = Docs.longValue(top.getFirst(), "millis");
        long scans = top.stream().filter(e -> Docs.text(e, "planSummary").contains("COLLSCAN")).count();
        result.metric("slowest_millis", slowest);
        List<Map<String, Object>> rows = top.stream().map(ProfilerCheck::row).toList();
        Document first = top.getFirst();
        Severity severity = slowest >= SlowOperationsCheck.WARNING_AGE.value(context) * 1000 ? Severity.WARNING : Severity.INFO;
        return result.add(Finding.of("MONGO_PROFILER_SLOW_QUERIES", severity, "Slowest recent operation took " + slowest + " ms ("
                        + Docs.text(first, "op") + " on " + Docs.text(first, "ns") + ")")
                .detail("From system.profile of " + profiled + (profiled == 1 ? " database" : " databases") + " where profiling is on."
                        + (scans > 0 ? " " + scans + " of the slowest scanned a whole collection (COLLSCAN): an index is missing." : ""))
                .evidence("operations", rows)
                .recommendation("Read the plan of the slowest: db.getSiblingDB('" + Docs.text(first, "ns").split("\\.")[0]
                        + "').system.profile.find().sort({millis: -1}).limit(1).pretty(); run its command with explain(\"executionStats\") "
                        + "and add the index its filter and sort need.")
                .playbook(playbook("MONGO_PROFILER_SLOW_QUERIES")).build()).build();
    }

    private static Map<String, Object> row(Document entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ts", Docs.instant(entry, "ts").map(Instant::toString).orElse(""));
        row.put("ns", Docs.text(entry, "ns"));
        row.put("op", Docs.text(entry, "op"));
        row.put("millis", Docs.longValue(entry, "millis"));
        row.put("planSummary", Docs.text(entry, "planSummary"));
        row.put("docsExamined", Docs.longValue(entry, "docsExamined"));
        row.put("keysExamined", Docs.longValue(entry, "keysExamined"));
        row.put("nreturned", Docs.longValue(entry, "nreturned"));
        row.put("appName", Docs.text(entry, "appName"));
        row.put("command", Docs.shell(Docs.doc(entry, "command"), 200));
        return row;
    }
}
