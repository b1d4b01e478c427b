package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.plugin.mongo.MongoErrors;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * Storage per database ({@code dbStats}) and how full the data volume is ({@code fsUsedSize},
 * {@code fsTotalSize}, reported by dbStats from 3.6 on). dbStats takes an intent lock on the
 * database, so it gets the session's short lock budget: a database whose lock is held
 * exclusively answers with a timeout instead of stalling the diagnosis.
 */
final class StorageCheck extends MongoCheck {

    static final Threshold USED_WARNING = Threshold.number("disk_used_warning_ratio", 0.85, "ratio",
            "WARNING when the data volume is this full");

    static final Threshold USED_CRITICAL = Threshold.number("disk_used_critical_ratio", 0.95, "ratio",
            "CRITICAL when the data volume is this full");

    @Override
    public List<Threshold> thresholds() {
        return List.of(USED_WARNING, USED_CRITICAL);
    }

    private static final int MAX_DATABASES = 50;

    StorageCheck() {
        super("storage", Category.RESOURCES, "data, storage and index size per database (dbStats), data volume fill");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_DBSTATS_FAILED", "MONGO_DISK_NEARLY_FULL", "MONGO_STORAGE");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        // nameOnly: listDatabases then takes no database locks (MongoDB 4.0+).
        Document list = session.run("admin", new Document("listDatabases", 1).append("nameOnly", true), context);
        List<String> names = Docs.docs(list, "databases").stream().map(d -> Docs.text(d, "name")).limit(MAX_DATABASES).toList();
        Map<String, Document> stats = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (String name : names) {
            if (context.remaining().toMillis() < 200) {
                failures.put(name, "not asked: the deadline is near");
                continue;
            }
            try {
                stats.put(name, session.run(name, new Document("dbStats", 1).append("scale", 1), context, true));
            } catch (MongoCommandFailure e) {
                if (e.connectCause() != null) {
                    throw e;
                }
                failures.put(name, e.code() == MongoErrors.MAX_TIME_MS_EXPIRED ? "timed out (its lock may be held: see lock-waits)" : e.getMessage());
            }
        }
        return interpret(stats, failures, context);
    }

    static CheckResult interpret(Map<String, Document> stats, Map<String, String> failures, CheckContext context) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double fsUsed = 0;
        double fsTotal = 0;
        long data = 0;
        long storage = 0;
        long indexes = 0;
        for (Map.Entry<String, Document> entry : stats.entrySet()) {
            Document s = entry.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("database", entry.getKey());
            row.put("collections", Docs.longValue(s, "collections"));
            row.put("objects", Docs.longValue(s, "objects"));
            row.put("dataSize", Docs.longValue(s, "dataSize"));
            row.put("storageSize", Docs.longValue(s, "storageSize"));
            row.put("indexSize", Docs.longValue(s, "indexSize"));
            rows.add(row);
            data += Docs.longValue(s, "dataSize");
            storage += Docs.longValue(s, "storageSize");
            indexes += Docs.longValue(s, "indexSize");
            if (Docs.doubleValue(s, "fsTotalSize") > 0 && Docs.doubleValue(s, "fsUsedSize") / Docs.doubleValue(s, "fsTotalSize")
                    > (fsTotal == 0 ? -1 : fsUsed / fsTotal)) {
                fsUsed = Docs.doubleValue(s, "fsUsedSize");
                fsTotal = Docs.doubleValue(s, "fsTotalSize");
            }
        }
        rows.sort(Comparator.comparingLong((Map<String, Object> r) -> (Long) r.get("storageSize")).reversed());
        CheckResult.Builder result = CheckResult.builder().metric("databases", stats.size())
                .metric("data_bytes", data).metric("storage_bytes", storage).metric("index_bytes", indexes);
        if (fsTotal > 0) {
            double ratio = fsUsed / fsTotal;
            result.metric("fs_used_ratio", round(ratio));
            double warning = USED_WARNING.value(context);
            if (ratio >= warning) {
                result.add(Finding.of("MONGO_DISK_NEARLY_FULL",
                                ratio >= USED_CRITICAL.value(context) ? Severity.CRITICAL : Severity.WARNING,
                                "The data volume is " + Format.percent(ratio) + " full (" + Format.bytes(fsTotal - fsUsed) + " free of " + Format.bytes(fsTotal) + ")")
                        .detail("MongoDB stops when it cannot write its journal or data files. Deleted documents do not give space "
                                + "back to the file system; compact or a resync does.")
                        .evidence("fsUsedSize", (long) fsUsed)
                        .evidence("fsTotalSize", (long) fsTotal)
                        .evidence("databases", rows.stream().limit(10).toList())
                        .recommendation("Grow the volume first. Then find what grew (databases below; per collection: "
                                + "db.getSiblingDB('DB').runCommand({collStats: 'COLL'})) and drop or archive old data.")
                        .playbook(playbook("MONGO_DISK_NEARLY_FULL")).build());
            }
        }
        if (!failures.isEmpty()) {
            List<Map<String, Object>> failed = failures.entrySet().stream()
                    .map(e -> Map.<String, Object>of("database", e.getKey(), "error", e.getValue())).toList();
            boolean timedOut = failures.values().stream().anyMatch(v -> v.startsWith("timed out"));
            result.add(Finding.of("MONGO_DBSTATS_FAILED", timedOut ? Severity.WARNING : Severity.INFO,
                            "dbStats did not answer for " + failures.size() + (failures.size() == 1 ? " database" : " databases")
                                    + " (" + String.join(", ", failures.keySet()) + ")")
                    .detail(timedOut ? "dbStats waits for an intent lock on its database: a timeout means an exclusive database "
                            + "lock is held or queued (a DDL, an index build, a repair)." : "")
                    .evidence("failures", failed)
                    .playbook(playbook("MONGO_DBSTATS_FAILED")).build());
        }
        if (!rows.isEmpty()) {
            result.add(Finding.of("MONGO_STORAGE", Severity.INFO, stats.size() + (stats.size() == 1 ? " database uses " : " databases use ")
                            + Format.bytes(storage) + " on disk for data and " + Format.bytes(indexes) + " for indexes")
                    .evidence("databases", rows.stream().limit(20).toList()).build());
        }
        return result.build();
    }
}
