package dbtool.testkit.mongo;

import de.bwaldvogel.mongo.bson.Document;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mongod's server parameters for {@link FakeMongod}: {@code getParameter} (named, {@code '*'}, and
 * {@code {showDetails: true, allParameters: true}}) and {@code setParameter}, answered as mongod 7.0
 * answers them (src/mongo/db/commands/parameters.cpp and the IDL bounds of each parameter):
 * <ul>
 * <li>an unknown name: error 72 InvalidOptions "attempted to set unrecognized parameter [X], use help:true to see options ";</li>
 * <li>a startup-only parameter: error 20 IllegalOperation "not allowed to change [X] at runtime";</li>
 * <li>a value the parameter cannot take: error 2 BadValue (14 TypeMismatch for the wrong BSON type of a string or document
 * parameter, 15 Overflow for a too long automationServiceDescriptor), nothing stored;</li>
 * <li>success: {@code {was: OLD, ok: 1}}, the value before the change.</li>
 * </ul>
 * The state lives as long as the server, across connections, as a mongod's does until it restarts.
 */
public final class MongoParameters {

    /** How a parameter takes a value: mongod's C++ storage type. */
    enum Kind { BOOL, INT, LONG, DOUBLE, STRING, DOCUMENT, ARRAY }

    private record Parameter(Kind kind, boolean runtime, boolean startup, Long min, Long max) {
    }

    private final Map<String, Parameter> declared = new TreeMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private volatile boolean details = true;
    private volatile boolean mayChange = true;

    /** A mongod 7.0 standalone's parameters that dbtool's tests use, with their defaults. */
    public static MongoParameters mongod70() {
        MongoParameters p = new MongoParameters();
        p.add("logLevel", Kind.INT, 0, true, true, 0L, null); // LogLevelServerParameter: "Invalid value for logLevel"
        p.add("quiet", Kind.BOOL, false, true, true, null, null);
        p.add("notablescan", Kind.BOOL, false, true, true, null, null);
        p.add("cursorTimeoutMillis", Kind.LONG, 600_000L, true, true, null, null);
        p.add("transactionLifetimeLimitSeconds", Kind.INT, 60, true, true, 1L, null);
        p.add("maxTransactionLockRequestTimeoutMillis", Kind.INT, 5, true, true, null, null);
        p.add("ttlMonitorEnabled", Kind.BOOL, true, true, true, null, null);
        p.add("ttlMonitorSleepSecs", Kind.INT, 60, false, true, null, null);
        p.add("enableLocalhostAuthBypass", Kind.BOOL, true, false, true, null, null);
        p.add("tcmallocReleaseRate", Kind.DOUBLE, 1.0, true, true, null, null);
        p.add("automationServiceDescriptor", Kind.STRING, "", true, true, null, null);
        p.add("authenticationMechanisms", Kind.ARRAY, List.of("SCRAM-SHA-1", "SCRAM-SHA-256"), false, true, null, null);
        p.add("logComponentVerbosity", Kind.DOCUMENT, new Document("verbosity", 0), true, true, null, null);
        p.add("featureCompatibilityVersion", Kind.DOCUMENT, new Document("version", "7.0"), false, false, null, null);
        return p;
    }

    private void add(String name, Kind kind, Object value, boolean runtime, boolean startup, Long min, Long max) {
        declared.put(name, new Parameter(kind, runtime, startup, min, max));
        values.put(name, value);
    }

    /**
     * Answers {@code showDetails} as MongoDB 4.2 does (4.4 added it): a document as getParameter's value is
     * neither '*' nor a name, so the server finds nothing to get, and says so without an error code (an
     * ErrmsgCommandDeprecated command then).
     */
    public MongoParameters withoutDetails() {
        details = false;
        return this;
    }

    /** Answers setParameter as to a user without the setParameter action (clusterMonitor only): error 13 Unauthorized. */
    public MongoParameters readOnlyUser() {
        mayChange = false;
        return this;
    }

    /** The running value of a parameter (as the server holds it: Boolean, Integer, Long, Double, String...). */
    public synchronized Object value(String name) {
        return values.get(name);
    }

    /** Sets a value as if mongod had been started with it ({@code --setParameter}). */
    public synchronized void startWith(String name, Object value) {
        values.put(name, value);
    }

    synchronized Document get(String database, Document command) {
        if (!"admin".equals(database)) {
            return error(13, "Unauthorized", "getParameter may only be run against the admin database.");
        }
        Object first = command.values().iterator().next();
        boolean showDetails = false;
        boolean all = "*".equals(first);
        if (first instanceof Document options) {
            if (!details) {
                return new Document("ok", 0.0).append("errmsg", "no option found to get");
            }
            showDetails = Boolean.TRUE.equals(options.get("showDetails"));
            all = Boolean.TRUE.equals(options.get("allParameters"));
        }
        Document reply = new Document();
        for (Map.Entry<String, Parameter> entry : declared.entrySet()) {
            String name = entry.getKey();
            if (!all && !command.containsKey(name)) {
                continue;
            }
            Object value = values.get(name);
            reply.put(name, showDetails ? new Document("value", value).append("settableAtRuntime", entry.getValue().runtime())
                    .append("settableAtStartup", entry.getValue().startup()) : value);
        }
        if (reply.isEmpty()) {
            return error(72, "InvalidOptions", "no option found to get");
        }
        return reply.append("ok", 1.0);
    }

    synchronized Document set(String database, Document command) {
        if (!"admin".equals(database)) {
            return error(13, "Unauthorized", "setParameter may only be run against the admin database.");
        }
        if (!mayChange) {
            return error(13, "Unauthorized", "not authorized on admin to execute command { setParameter: 1 }");
        }
        Map<String, Object> toSet = new LinkedHashMap<>();
        boolean first = true;
        for (Map.Entry<String, Object> element : command.entrySet()) {
            if (first || ScenarioBackend.isGenericArgument(element.getKey())) {
                first = false;
                continue;
            }
            String name = element.getKey();
            Parameter parameter = declared.get(name);
            if (parameter == null) {
                return error(72, "InvalidOptions", "attempted to set unrecognized parameter [" + name + "], use help:true to see options ");
            }
            if (!parameter.runtime()) {
                return error(20, "IllegalOperation", "not allowed to change [" + name + "] at runtime");
            }
            toSet.put(name, element.getValue());
        }
        if (toSet.isEmpty()) {
            return error(72, "InvalidOptions", "no option found to set, use help:true to see options ");
        }
        Document reply = new Document();
        for (Map.Entry<String, Object> change : toSet.entrySet()) {
            String name = change.getKey();
            Object coerced;
            try {
                coerced = coerce(name, declared.get(name), change.getValue());
            } catch (Refusal refused) {
                return error(refused.code, refused.codeName, refused.getMessage());
            }
            if (reply.isEmpty()) {
                reply.put("was", values.get(name)); // mongod returns the old value of the first parameter only
            }
            values.put(name, coerced);
        }
        return reply.append("ok", 1.0);
    }

    /** BSONElement::coerce as mongod applies it, then the parameter's IDL bounds. */
    private static Object coerce(String name, Parameter parameter, Object value) {
        Object coerced = switch (parameter.kind()) {
            case BOOL -> value instanceof Boolean b ? b : value instanceof Number n ? n.doubleValue() != 0 : value != null;
            case INT, LONG -> {
                if (!(value instanceof Number || value instanceof Boolean)) {
                    throw new Refusal(2, "BadValue", name.equals("logLevel") ? "Invalid value for logLevel: " + name + ": " + quoted(value)
                            : "Unable to coerce value to integral type");
                }
                long n = value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).longValue();
                if (parameter.kind() == Kind.INT && (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE)) {
                    throw new Refusal(2, "BadValue", "Out of bounds coercing to integral value");
                }
                yield parameter.kind() == Kind.INT ? (Object) (int) n : (Object) n;
            }
            case DOUBLE -> {
                if (!(value instanceof Number n)) {
                    throw new Refusal(2, "BadValue", "Unable to coerce value to correct type");
                }
                yield n.doubleValue();
            }
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw name.equals("automationServiceDescriptor")
                            ? new Refusal(14, "TypeMismatch", "Value for parameter automationServiceDescriptor must be of type 'string'")
                            : new Refusal(2, "BadValue", "Unable to coerce value to correct type");
                }
                if (name.equals("automationServiceDescriptor") && s.length() > 64) {
                    throw new Refusal(15, "Overflow", "Value for parameter automationServiceDescriptor must be no more than 64 bytes");
                }
                yield s;
            }
            case DOCUMENT -> {
                if (!(value instanceof Document d)) {
                    throw new Refusal(14, "TypeMismatch", "log component verbosity is not a BSON object: " + name + ": " + quoted(value));
                }
                yield d;
            }
            case ARRAY -> value;
        };
        if (coerced instanceof Number n && parameter.min() != null && n.longValue() < parameter.min()) {
            throw new Refusal(2, "BadValue", name.equals("logLevel") ? "Invalid value for logLevel: " + name + ": " + n
                    : "Invalid value for parameter " + name + ": " + n + " is not greater than or equal to " + parameter.min());
        }
        if (coerced instanceof Number n && parameter.max() != null && n.longValue() > parameter.max()) {
            throw new Refusal(2, "BadValue", "Invalid value for parameter " + name + ": " + n + " is not less than or equal to " + parameter.max());
        }
        return coerced;
    }

    /** A value the parameter does not take: mongod's error code and name, nothing stored. */
    private static final class Refusal extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final int code;
        private final String codeName;

        Refusal(int code, String codeName, String message) {
            super(message);
            this.code = code;
            this.codeName = codeName;
        }
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    /** A refusal; without showDetails (MongoDB 4.2) the command's own checks answer with errmsg alone, as ErrmsgCommandDeprecated did. */
    private Document error(int code, String codeName, String message) {
        Document error = new Document("ok", 0.0).append("errmsg", message);
        boolean commandsOwnCheck = code == 20 || code == 72;
        return details || !commandsOwnCheck ? error.append("code", code).append("codeName", codeName) : error;
    }
}
