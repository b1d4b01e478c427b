package dbtool.testkit.mongo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bson.Document;

/**
 * What a {@link FakeMongod} answers: per command, a recorded reply (or an error), plus counters
 * that grow per second in serverStatus so that rates can be sampled. Commands without a reply
 * here are answered by mongo-java-server itself (ping, listDatabases, dbStats, find...).
 */
public final class MongoScenario {

    private final String name;
    private final Map<String, Document> replies = new LinkedHashMap<>();
    private final Map<String, Double> ratesPerSecond = new LinkedHashMap<>();
    private final Map<String, List<Document>> profile = new LinkedHashMap<>();
    private Document oplogFirst;
    private Document oplogLast;

    private MongoScenario(String name) {
        this.name = name;
    }

    public static MongoScenario named(String name) {
        return new MongoScenario(name);
    }

    /** A healthy MongoDB 7.0 standalone: nothing running but drivers' monitoring. */
    public static MongoScenario healthyStandalone() {
        return named("healthy standalone")
                .reply("hello", "hello-standalone")
                .reply("buildInfo", "buildinfo-7.0")
                .reply("serverStatus", "serverstatus-7.0-healthy")
                .reply("currentOp", "currentop-quiet")
                .reply("getLog", "getlog-7.0") // the server's last log entries in memory: connections coming and going
                .rate("opcounters.query", 800).rate("opcounters.insert", 120).rate("opcounters.command", 1500);
    }

    /**
     * A lock-wait incident: a DBA's validate({full: true}) holds the exclusive lock on
     * shop.orders for 312 s and three application operations wait behind it.
     */
    public static MongoScenario lockWait() {
        return healthyStandalone().rename("lock wait").reply("currentOp", "currentop-lock-wait");
    }

    /**
     * WiredTiger cache over its eviction triggers, tickets exhausted, operations queued (MongoDB 6.0
     * fields), and a profiler in database shop that recorded a collection scan.
     */
    public static MongoScenario cachePressure() {
        return healthyStandalone().rename("cache pressure").reply("serverStatus", "serverstatus-6.0-cache-pressure")
                .rate("extra_info.page_faults", 450).rate("opcounters.update", 3000)
                .profile("shop", "profile-shop");
    }

    /** A secondary of rs0 three minutes behind its primary, with a four-hour oplog window. */
    public static MongoScenario laggingSecondary() {
        return healthyStandalone().rename("lagging secondary")
                .reply("hello", "hello-secondary")
                .reply("replSetGetStatus", "replsetgetstatus-lagging")
                .reply("collStats", "collstats-oplog")
                .oplog(MongoReplies.load("oplog-first"), MongoReplies.load("oplog-last"));
    }

    /** Every login is refused, as a server refuses a wrong password (error 18). */
    public MongoScenario refuseLogins() {
        Document refusal = new Document("ok", 0).append("errmsg", "Authentication failed.").append("code", 18)
                .append("codeName", "AuthenticationFailed");
        replies.put("saslstart", refusal);
        return this;
    }

    public MongoScenario reply(String command, String recorded) {
        return reply(command, MongoReplies.load(recorded));
    }

    public MongoScenario reply(String command, Document reply) {
        replies.put(command.toLowerCase(Locale.ROOT), reply);
        return this;
    }

    /** A serverStatus counter (dotted path) that grows by this much per second of uptime. */
    public MongoScenario rate(String path, double perSecond) {
        ratesPerSecond.put(path, perSecond);
        return this;
    }

    /** system.profile entries of a database, as the recorded {@code profile-<db>} reply lists them. */
    public MongoScenario profile(String database, String recorded) {
        profile.put(database, MongoReplies.load(recorded).getList("entries", Document.class));
        return this;
    }

    public MongoScenario oplog(Document first, Document last) {
        this.oplogFirst = first;
        this.oplogLast = last;
        return this;
    }

    private MongoScenario rename(String newName) {
        MongoScenario copy = new MongoScenario(newName);
        copy.replies.putAll(replies);
        copy.ratesPerSecond.putAll(ratesPerSecond);
        copy.profile.putAll(profile);
        copy.oplogFirst = oplogFirst;
        copy.oplogLast = oplogLast;
        return copy;
    }

    Document reply(String command) {
        return replies.get(command.toLowerCase(Locale.ROOT));
    }

    Map<String, Double> rates() {
        return ratesPerSecond;
    }

    List<Document> profile(String database) {
        return profile.getOrDefault(database, List.of());
    }

    Document oplogFirst() {
        return oplogFirst;
    }

    Document oplogLast() {
        return oplogLast;
    }

    @Override
    public String toString() {
        return name;
    }
}
