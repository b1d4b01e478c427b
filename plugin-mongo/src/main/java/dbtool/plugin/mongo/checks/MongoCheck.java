package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.AbstractCheck;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What every MongoDB check shares: the session cast, and where playbooks live. Each check keeps
 * the command it sends apart from its reading of the reply ({@code interpret}), which is tested
 * on reply documents shaped like the MongoDB documentation's examples.
 */
abstract class MongoCheck extends AbstractCheck<MongoSession> {

    MongoCheck(String id, String category, String description) {
        super(MongoSession.class, id, category, description);
    }

    /** Which playbook page explains which codes; each code is a heading there, its anchor the code in lower case. */
    private static final Map<String, String> PAGES = pages("""
            mongo-connection-failed  MONGO_BAD_URL MONGO_SRV_LOOKUP_FAILED MONGO_DNS_FAILED MONGO_CONNECTION_REFUSED
                                     MONGO_CONNECT_TIMEOUT MONGO_TLS_FAILED MONGO_AUTH_FAILED MONGO_VERSION_UNSUPPORTED
                                     MONGO_NO_SUITABLE_SERVER MONGO_CONNECT_FAILED MONGO_CONNECTED MONGO_VERSION_OLD
                                     MONGO_VERSION_UNTESTED MONGO_NO_PRIMARY_REACHABLE MONGO_RECENT_RESTART MONGO_NOT_ENCRYPTED
                                     MONGO_TLS_CERT_EXPIRING
            mongo-connections        MONGO_CONNECTIONS_NEAR_LIMIT
            mongo-locks              MONGO_LOCK_WAITS MONGO_FSYNC_LOCKED MONGO_LONG_TRANSACTION
            mongo-wiredtiger         MONGO_CACHE_PRESSURE MONGO_TICKETS_EXHAUSTED MONGO_OPERATIONS_QUEUED MONGO_PAGE_FAULTS
                                     MONGO_ASSERTS
            mongo-storage            MONGO_DISK_NEARLY_FULL MONGO_DBSTATS_FAILED MONGO_STORAGE
            mongo-slow-operations    MONGO_SLOW_OPERATION MONGO_PROFILER_SLOW_QUERIES
            mongo-replication        MONGO_STANDALONE MONGO_REPLSET_NOT_INITIATED MONGO_NO_PRIMARY MONGO_MEMBER_UNHEALTHY
                                     MONGO_REPLICATION_LAG MONGO_RECENT_ELECTION MONGO_REPLICA_SET MONGO_OPLOG_WINDOW_SHORT
            """);

    /**
     * The playbook of a finding code: its section of its page under docs/playbooks (the anchor MkDocs makes of
     * the heading); PlaybooksTest holds it to the pages.
     */
    static String playbook(String code) {
        String page = PAGES.get(code);
        if (page == null) {
            throw new IllegalArgumentException("no playbook page for " + code);
        }
        return "docs/playbooks/" + page + ".md#" + code.toLowerCase(Locale.ROOT);
    }

    /** A table of page names, each followed by its codes (continued on indented lines). */
    private static Map<String, String> pages(String table) {
        Map<String, String> pages = new HashMap<>();
        String page = null;
        for (String line : table.split("\n")) {
            String[] words = line.strip().split("\\s+");
            int first = 0;
            if (!line.startsWith(" ")) {
                page = words[0];
                first = 1;
            }
            for (int i = first; i < words.length; i++) {
                pages.put(words[i], page);
            }
        }
        return Map.copyOf(pages);
    }

    /** Rounded for metrics: three decimals. */
    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
