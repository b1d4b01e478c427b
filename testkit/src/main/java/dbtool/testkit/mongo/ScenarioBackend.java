package dbtool.testkit.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.types.Binary;
import org.bson.types.Decimal128;

/**
 * mongo-java-server's backend with its in-memory databases, answering from a scenario the
 * commands it does not know. Replies are recorded as org.bson documents (Extended JSON) and
 * converted to the server's own document type here.
 */
final class ScenarioBackend extends AbstractMongoBackend {

    /** currentOp's own arguments and generic command arguments: the rest of the command is its filter. */
    private static final Set<String> NOT_FILTER = Set.of("currentop", "$all", "$ownops", "maxtimems", "comment", "lsid", "$db",
            "$readpreference", "$clustertime", "txnnumber", "apiversion", "$audit");

    /** Arguments every command may carry (src/mongo/idl/generic_argument.idl): never a command's own field. */
    private static final Set<String> GENERIC_ARGUMENTS = Set.of("maxtimems", "comment", "lsid", "$db", "$readpreference", "$clustertime",
            "txnnumber", "apiversion", "apistrict", "apideprecationerrors", "$audit", "writeconcern", "readconcern", "autocommit",
            "starttransaction", "$client");

    private volatile MongoScenario scenario;
    private final MongoParameters parameters;
    private final Instant started = Instant.now();
    private final List<FakeMongod.ReceivedCommand> received = new CopyOnWriteArrayList<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

    ScenarioBackend(MongoScenario scenario, MongoParameters parameters) {
        this.scenario = scenario;
        this.parameters = parameters;
    }

    MongoParameters parameters() {
        return parameters;
    }

    static boolean isGenericArgument(String field) {
        return GENERIC_ARGUMENTS.contains(field.toLowerCase(Locale.ROOT));
    }

    void scenario(MongoScenario next) {
        this.scenario = next;
    }

    List<FakeMongod.ReceivedCommand> received() {
        return List.copyOf(received);
    }

    int openConnections() {
        return (int) channels.stream().filter(Channel::isActive).count();
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        channels.add(channel);
        Object readPreference = query.get("$readPreference") instanceof Document rp ? rp.get("mode") : null;
        received.add(new FakeMongod.ReceivedCommand(database, command, query.get("maxTimeMS") instanceof Number n ? n : null,
                query.get("comment"), readPreference == null ? null : readPreference.toString()));
        MongoScenario current = scenario;
        String name = command.toLowerCase(Locale.ROOT);
        switch (name) {
            case "ismaster", "hello" -> {
                return handshake(channel, database, command, query, current);
            }
            case "serverstatus" -> {
                return getServerStatus();
            }
            case "getparameter" -> {
                return parameters.get(database, query);
            }
            case "setparameter" -> {
                return parameters.set(database, query);
            }
            case "currentop" -> {
                org.bson.Document reply = current.reply("currentOp");
                return reply == null ? super.handleCommand(channel, database, command, query) : currentOp(reply, query);
            }
            case "find" -> {
                Document answer = find(database, query, current);
                return answer != null ? answer : super.handleCommand(channel, database, command, query);
            }
            case "replsetgetstatus" -> {
                // A standalone's answer (mongo-java-server's own closes the connection under OP_MSG).
                org.bson.Document reply = current.reply("replSetGetStatus");
                return reply != null ? convert(reply) : new Document("ok", 0.0).append("errmsg", "not running with --replSet")
                        .append("code", 76).append("codeName", "NoReplicationEnabled");
            }
            case "collstats" -> {
                org.bson.Document reply = current.reply("collStats");
                if ("local".equals(database) && reply != null) {
                    return convert(reply);
                }
                return super.handleCommand(channel, database, command, query);
            }
            default -> {
                org.bson.Document reply = current.reply(command);
                return reply != null ? convert(reply) : super.handleCommand(channel, database, command, query);
            }
        }
    }

    /**
     * The memory backend's database, created by name: its jar splits a package with the core's,
     * so testkit cannot compile against both as modules (see testkit's pom).
     */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        try {
            return (MongoDatabase) Class.forName("de.bwaldvogel.mongo.backend.memory.MemoryDatabase")
                    .getConstructor(String.class, CursorRegistry.class).newInstance(databaseName, getCursorRegistry());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("mongo-java-server-memory-backend is missing from the test class path", e);
        }
    }

    @Override
    public void handleClose(Channel channel) {
        channels.remove(channel);
        super.handleClose(channel);
    }

    @Override
    public Document getServerStatus() {
        MongoScenario current = scenario;
        org.bson.Document recorded = current.reply("serverStatus");
        if (recorded == null) {
            return super.getServerStatus();
        }
        Document status = convert(recorded);
        // Time moves on from the recorded moment, and so do the counters, for rates over a sample.
        long elapsedMillis = Duration.between(started, Instant.now()).toMillis();
        status.put("uptime", number(status.get("uptime")) + elapsedMillis / 1000);
        status.put("uptimeMillis", number(status.get("uptimeMillis")) + elapsedMillis);
        status.put("localTime", Instant.now());
        for (Map.Entry<String, Double> rate : current.rates().entrySet()) {
            String[] path = rate.getKey().split("\\.");
            Document parent = status;
            for (int i = 0; i < path.length - 1; i++) {
                parent = (Document) parent.computeIfAbsent(path[i], k -> new Document());
            }
            String leaf = path[path.length - 1];
            parent.put(leaf, number(parent.get(leaf)) + (long) (rate.getValue() * elapsedMillis / 1000.0));
        }
        return status;
    }

    private Document handshake(Channel channel, String database, String command, Document query, MongoScenario current) {
        Document base = super.handleCommand(channel, database, "isMaster", query);
        org.bson.Document hello = current.reply("hello");
        if (hello != null) {
            base.putAll(convert(hello));
            boolean primary = Boolean.TRUE.equals(hello.get("isWritablePrimary"));
            if (command.equalsIgnoreCase("isMaster")) {
                // Drivers' monitors ask with isMaster; a topologyVersion would make them switch to
                // streaming (exhaust) hello, which mongo-java-server cannot answer.
                base.remove("topologyVersion");
                base.remove("isWritablePrimary");
                base.put("ismaster", primary);
            } else {
                base.remove("ismaster");
                base.put("isWritablePrimary", primary);
            }
        }
        base.put("localTime", Instant.now());
        return base;
    }

    private Document currentOp(org.bson.Document recorded, Document query) {
        Document filter = new Document();
        query.forEach((key, value) -> {
            if (!NOT_FILTER.contains(key.toLowerCase(Locale.ROOT))) {
                filter.put(key, value);
            }
        });
        Document reply = convert(recorded);
        List<Object> matching = new ArrayList<>();
        DefaultQueryMatcher matcher = new DefaultQueryMatcher();
        for (Object op : (List<?>) reply.get("inprog")) {
            if (matcher.matches((Document) op, filter)) {
                matching.add(op);
            }
        }
        reply.put("inprog", matching);
        return reply;
    }

    /** find on local.oplog.rs (first or last entry) and on system.profile (the scenario's entries). */
    private Document find(String database, Document query, MongoScenario current) {
        String collection = String.valueOf(query.get("find"));
        List<org.bson.Document> batch;
        if ("local".equals(database) && "oplog.rs".equals(collection) && current.oplogFirst() != null) {
            Object sort = query.get("sort") instanceof Document s ? s.get("$natural") : 1;
            batch = List.of(number(sort) < 0 ? current.oplogLast() : current.oplogFirst());
        } else if ("system.profile".equals(collection)) {
            batch = current.profile(database);
        } else {
            return null;
        }
        Document cursor = new Document("firstBatch", batch.stream().map(ScenarioBackend::convert).toList())
                .append("id", 0L).append("ns", database + "." + collection);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    static Document convert(org.bson.Document document) {
        Document converted = new Document();
        document.forEach((key, value) -> converted.put(key, convertValue(value)));
        return converted;
    }

    private static Object convertValue(Object value) {
        return switch (value) {
            case org.bson.Document d -> convert(d);
            case List<?> list -> list.stream().map(ScenarioBackend::convertValue).toList();
            case Date date -> date.toInstant();
            case org.bson.types.ObjectId id -> new ObjectId(id.toByteArray());
            case org.bson.BsonTimestamp ts -> new BsonTimestamp(ts.getValue());
            case Binary binary when binary.getType() == 4 -> uuid(binary.getData());
            case Binary binary -> new BinData(binary.getData());
            case Decimal128 decimal -> decimal.doubleValue();
            case null -> null;
            default -> value;
        };
    }

    private static UUID uuid(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

}
