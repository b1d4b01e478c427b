package dbtool.plugin.mongo.config;

import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.plugin.mongo.MongoErrors;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.ServerConfiguration;
import dbtool.spi.UsageException;
import dbtool.toolkit.ReadBack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;

/**
 * {@code dbtool config} on MongoDB: parameters from {@code getParameter} (with {@code showDetails}, from
 * MongoDB 4.4, to know which ones can change at runtime), changes through {@code setParameter}, verified
 * by reading getParameter again. Every command goes through the plugin's {@link MongoSession}, so it
 * carries maxTimeMS (the statement timeout) and dbtool's comment, like every other command dbtool sends.
 *
 * <p>setParameter changes the running mongod (or mongos) the client selects (the primary of a replica
 * set) until it restarts; it writes no file. So the value dbtool keeps for {@code config rollback} is the
 * running value it replaces, and a parameter that can be set only at startup is refused, with or without
 * {@code --allow-restart}: dbtool does not edit mongod.conf, and the message says what to put there.
 */
public final class MongoConfiguration implements ServerConfiguration.Session {

    /** Server errors that refuse the value itself; nothing was changed. */
    private static final Set<Integer> REFUSED = Set.of(2, 14, 15, 20, 72); // BadValue, TypeMismatch, Overflow, IllegalOperation, InvalidOptions
    private static final Set<String> NOT_PARAMETERS = Set.of("ok", "operationTime", "$clusterTime", "$gleStats", "lastCommittedOpTime",
            "$configServerState", "$topologyTime");

    private final MongoSession session;
    private final boolean write;

    /** Works on {@code session}'s client; {@link #apply} refuses unless {@code write}. */
    public MongoConfiguration(MongoSession session, boolean write) {
        this.session = session;
        this.write = write;
    }

    /** One parameter as getParameter shows it; {@code runtime} and {@code startup} are null when the server does not say. */
    private record Declared(String name, Object value, Boolean runtime, Boolean startup) {

        String context() {
            if (runtime == null) {
                return "unknown";
            }
            return runtime ? "runtime" : startup ? "startup" : "none";
        }

        /** The running value is also what {@code config rollback} writes back: setParameter keeps nothing else. */
        ServerConfiguration.Parameter parameter() {
            String[] range = MongoValue.range(name);
            String text = MongoValue.text(value);
            return new ServerConfiguration.Parameter(name, text, null, MongoValue.type(value), "running", context(), false,
                    range == null ? null : range[0], range == null ? null : range[1], List.of(), value == null ? null : text, null);
        }
    }

    @Override
    public List<ServerConfiguration.Parameter> parameters(Collection<String> names) throws MongoCommandFailure {
        Set<String> wanted = names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<ServerConfiguration.Parameter> out = new ArrayList<>();
        for (Declared p : read()) {
            if (wanted.isEmpty() || wanted.contains(p.name().toLowerCase(Locale.ROOT))) {
                out.add(p.parameter());
            }
        }
        return out;
    }

    @Override
    public ServerConfiguration.Change plan(String name, String value, boolean allowRestart) throws MongoCommandFailure {
        Declared p = find(name);
        if (value == null) {
            throw new UsageException(p.name() + ": MongoDB's setParameter has no way back to a default; give the value to set");
        }
        // The value first, as for PostgreSQL: a wrong one is worth knowing before the question of a restart.
        Object typed = MongoValue.parse(p.name(), p.value(), value);
        if (Boolean.FALSE.equals(p.runtime())) {
            throw new UsageException(startupOnly(p, MongoValue.text(typed), allowRestart));
        }
        String statement = new Document("setParameter", 1).append(p.name(), typed).toJson();
        return new ServerConfiguration.Change(p.parameter(), MongoValue.text(typed), false, statement);
    }

    @Override
    public ServerConfiguration.Outcome apply(ServerConfiguration.Change change, Duration verifyWithin) throws MongoCommandFailure {
        if (!write) {
            throw new IllegalStateException("a read-only configuration session cannot apply a change");
        }
        Declared p = find(change.before().name());
        Object typed = MongoValue.parse(p.name(), p.value(), change.value());
        try {
            // The reply's "was" is the value replaced; the audit already holds the one read at plan time.
            session.run("admin", new Document("setParameter", 1).append(p.name(), typed), null);
        } catch (MongoCommandFailure e) {
            if (e.code() == MongoErrors.UNAUTHORIZED) {
                // Not clusterMonitor's hint: setParameter is an action of the built-in role hostManager.
                throw new MongoCommandFailure("setParameter refused: the user may not change parameters (error 13 Unauthorized); it needs "
                        + "the setParameter action, e.g. the role hostManager: db.getSiblingDB('admin').grantRolesToUser('USER', ['hostManager'])",
                        e.code());
            }
            // Before 4.4 setParameter's own checks (unknown, not at runtime) answered with errmsg alone: no code.
            if (REFUSED.contains(e.code()) || e.code() < 0 && e.connectCause() == null) {
                throw new UsageException(p.name() + ": the server refused " + MongoValue.clean(change.value()) + ": "
                        + e.getMessage().replaceFirst("^setParameter failed: ", "").replace(" (error -1)", "") + "; nothing changed");
            }
            throw e;
        }
        Declared now = ReadBack.until(verifyWithin, () -> find(p.name()), read -> MongoValue.same(read.value(), typed));
        return new ServerConfiguration.Outcome(now.parameter(), MongoValue.same(now.value(), typed));
    }

    @Override
    public void close() {
        session.close();
    }

    private static String startupOnly(Declared p, String value, boolean allowRestart) {
        if (!Boolean.TRUE.equals(p.startup())) {
            return p.name() + " cannot be changed with setParameter, at runtime or at startup";
        }
        return p.name() + " can be set only at startup (settableAtRuntime: false)" + (allowRestart ? ", and --allow-restart cannot help: " : ": ")
                + "MongoDB cannot change it on a running server and dbtool does not edit mongod.conf; put 'setParameter: {" + p.name() + ": "
                + MongoValue.clean(value) + "}' in the configuration file (or start mongod with --setParameter " + p.name() + "="
                + MongoValue.clean(value) + ") and restart";
    }

    private Declared find(String name) throws MongoCommandFailure {
        for (Declared p : read()) {
            if (p.name().equalsIgnoreCase(name.strip())) {
                return p;
            }
        }
        throw new UsageException("unknown parameter '" + MongoValue.clean(name) + "'");
    }

    /**
     * Every parameter: {@code {getParameter: {showDetails: true, allParameters: true}}} (MongoDB 4.4 and
     * later), else {@code {getParameter: '*'}}, where whether a parameter can change at runtime is
     * unknown and setParameter itself decides.
     */
    private List<Declared> read() throws MongoCommandFailure {
        boolean details = true;
        Document reply;
        try {
            reply = session.run("admin", new Document("getParameter", new Document("showDetails", true).append("allParameters", true)), null);
        } catch (MongoCommandFailure e) {
            if (e.connectCause() != null) {
                throw e;
            }
            details = false;
            reply = session.run("admin", new Document("getParameter", "*"), null);
        }
        List<Declared> out = new ArrayList<>();
        for (Map.Entry<String, Object> entry : reply.entrySet()) {
            if (NOT_PARAMETERS.contains(entry.getKey())) {
                continue;
            }
            if (details && entry.getValue() instanceof Document d && d.containsKey("settableAtRuntime")) {
                out.add(new Declared(entry.getKey(), d.get("value"), d.getBoolean("settableAtRuntime"), d.getBoolean("settableAtStartup")));
            } else {
                out.add(new Declared(entry.getKey(), entry.getValue(), null, null));
            }
        }
        out.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        return out;
    }
}
