package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/**
 * WiredTiger cache fill and dirty ratios ({@code serverStatus.wiredTiger.cache}). WiredTiger's
 * background eviction aims at 80% used and 5% dirty; at 95% used or 20% dirty (eviction_trigger,
 * eviction_dirty_trigger) application threads must evict pages themselves, and every operation
 * slows down. The field names are the same from 4.4 to 8.0; a mongos or the in-memory engine has
 * no wiredTiger section.
 */
final class WiredTigerCacheCheck extends MongoCheck {

    static final Threshold USED_WARNING = Threshold.number("cache_used_warning_ratio", 0.90, "ratio",
            "WARNING when the WiredTiger cache is this full");

    static final Threshold USED_CRITICAL = Threshold.number("cache_used_critical_ratio", 0.95, "ratio",
            "CRITICAL when the WiredTiger cache is this full");

    static final Threshold DIRTY_WARNING = Threshold.number("cache_dirty_warning_ratio", 0.10, "ratio",
            "WARNING when this share of the cache is dirty");

    static final Threshold DIRTY_CRITICAL = Threshold.number("cache_dirty_critical_ratio", 0.20, "ratio",
            "CRITICAL when this share of the cache is dirty");

    @Override
    public List<Threshold> thresholds() {
        return List.of(USED_WARNING, USED_CRITICAL, DIRTY_WARNING, DIRTY_CRITICAL);
    }

    WiredTigerCacheCheck() {
        super("wiredtiger-cache", Category.RESOURCES, "WiredTiger cache used and dirty ratios against eviction triggers (serverStatus)");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_CACHE_PRESSURE");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        return interpret(session.serverStatus(context), context);
    }

    static CheckResult interpret(Document serverStatus, CheckContext context) {
        Document cache = Docs.doc(serverStatus, "wiredTiger.cache");
        double maximum = cache.get("maximum bytes configured") instanceof Number n ? n.doubleValue() : 0;
        if (maximum <= 0) {
            return CheckResult.builder().metric("wiredtiger", false).build();
        }
        double used = number(cache, "bytes currently in the cache");
        double dirty = number(cache, "tracked dirty bytes in the cache");
        double usedRatio = used / maximum;
        double dirtyRatio = dirty / maximum;
        double appEvictions = number(cache, "pages evicted by application threads");
        CheckResult.Builder result = CheckResult.builder()
                .metric("cache_bytes", (long) used).metric("cache_max_bytes", (long) maximum)
                .metric("cache_used_ratio", round(usedRatio)).metric("cache_dirty_ratio", round(dirtyRatio))
                .metric("pages_evicted_by_application_threads", (long) appEvictions);
        Severity usedSeverity = usedRatio >= USED_CRITICAL.value(context) ? Severity.CRITICAL
                : usedRatio >= USED_WARNING.value(context) ? Severity.WARNING : Severity.OK;
        Severity dirtySeverity = dirtyRatio >= DIRTY_CRITICAL.value(context) ? Severity.CRITICAL
                : dirtyRatio >= DIRTY_WARNING.value(context) ? Severity.WARNING : Severity.OK;
        Severity severity = usedSeverity.worst(dirtySeverity);
        if (severity == Severity.OK) {
            return result.build();
        }
        String title = "WiredTiger cache is " + Format.percent(usedRatio) + " full and " + Format.percent(dirtyRatio) + " dirty ("
                + Format.bytes(used) + " of " + Format.bytes(maximum) + ")";
        return result.add(Finding.of("MONGO_CACHE_PRESSURE", severity, title)
                .detail("Eviction threads aim at 80% used and 5% dirty. Above 95% used or 20% dirty, application threads stop "
                        + "to evict pages themselves (" + (long) appEvictions + " pages so far), and latency climbs for every "
                        + "operation. Causes: a working set larger than the cache, bulk writes faster than checkpoints, or a "
                        + "long transaction pinning old versions.")
                .evidence("cacheBytes", (long) used)
                .evidence("cacheMaxBytes", (long) maximum)
                .evidence("usedRatio", round(usedRatio))
                .evidence("dirtyRatio", round(dirtyRatio))
                .evidence("pagesEvictedByApplicationThreads", (long) appEvictions)
                .evidence("pagesReadIntoCache", (long) number(cache, "pages read into cache"))
                .recommendation("Look for long transactions and bulk loads (transactions and slow-operations checks); throttle "
                        + "bulk writers; if the working set has outgrown the cache, add memory (storage.wiredTiger.engineConfig.cacheSizeGB) "
                        + "or shard. Watch: db.serverStatus().wiredTiger.cache")
                .playbook(playbook("MONGO_CACHE_PRESSURE")).build()).build();
    }

    private static double number(Document cache, String field) {
        return cache.get(field) instanceof Number n ? n.doubleValue() : 0;
    }
}
