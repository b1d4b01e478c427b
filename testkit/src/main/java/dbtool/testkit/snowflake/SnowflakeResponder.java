package dbtool.testkit.snowflake;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * A small Snowflake REST responder for tests: the real Snowflake JDBC driver logs in to it and
 * runs statements against it over plain HTTP on 127.0.0.1 (the driver's {@code ssl=off}), so a
 * plugin runs end to end through the driver with canned results.
 *
 * <p>It answers what the driver sends for a password, key-pair (JWT, verified against the
 * registered public key) or OAuth login, statements (answers keyed by the statement text with
 * whitespace collapsed), cancels and session deletion. Everything else is recorded as
 * unexpected, and so is any request that is not addressed to this responder on loopback:
 * {@link #assertOnlyExpectedTraffic()} fails a test that saw any. A login for another account
 * gets HTTP 403, as Snowflake answers for an account identifier it does not know.
 */
public final class SnowflakeResponder implements AutoCloseable {

    /** The server version the responder claims to be. */
    public static final String SERVER_VERSION = "9.38.1";

    /** A login the driver attempted, with what it asked for, and when. */
    public record Login(String account, String user, String authenticator, Map<String, String> sessionParameters,
                        String clientAppId, String clientAppVersion, boolean succeeded, Instant at) {
    }

    /**
     * A statement that finished, as QUERY_HISTORY lists it: its query tag (the statement's, else its
     * session's), when it started and ended, and whether it failed (an error, a cancel, or no answer).
     */
    public record Executed(String sql, String queryTag, Instant start, Instant end, boolean failed) {

        /** TOTAL_ELAPSED_TIME, in milliseconds. */
        public long elapsedMillis() {
            return Duration.between(start, end).toMillis();
        }
    }

    /** What the responder has served so far: the finished statements and the login attempts, oldest first. */
    public record History(List<Executed> statements, List<Login> logins) {

        /** Finished statements that ended at or after {@code since}, as QUERY_HISTORY(END_TIME_RANGE_START => since). */
        public List<Executed> statementsSince(Instant since) {
            return statements.stream().filter(statement -> !statement.end().isBefore(since)).toList();
        }

        /** Login attempts at or after {@code since}, as LOGIN_HISTORY(TIME_RANGE_START => since). */
        public List<Login> loginsSince(Instant since) {
            return logins.stream().filter(login -> !login.at().isBefore(since)).toList();
        }
    }

    /** A statement the driver sent, with its statement-level parameters. */
    public record Query(String sql, Map<String, String> parameters) {
    }

    private record Failure(String code, String sqlState, String message) {
    }

    private record User(String password, PublicKey publicKey, String oauthToken, Failure forcedFailure) {
    }

    private final HttpServer server;
    private final String account;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, CannedResult> answers = new ConcurrentHashMap<>();
    private final Map<String, Function<History, CannedResult>> computed = new ConcurrentHashMap<>();
    private final List<Executed> executed = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> pending = new ConcurrentHashMap<>();
    private final Map<String, String> sessionTokens = new ConcurrentHashMap<>();
    private final Map<String, String> sessionTags = new ConcurrentHashMap<>();
    private final List<Login> logins = Collections.synchronizedList(new ArrayList<>());
    private final List<Query> queries = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final List<String> aborts = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ids = new AtomicLong(1000);
    private volatile String role = "MONITOR_RO";
    private volatile String warehouse = "DIAG_WH";
    private volatile int deletedSessions;
    /** What happened, kept as Snowflake keeps LOGIN_HISTORY and QUERY_HISTORY, for the statements that read them back. */
    private record LoginEvent(Instant at, String user, String clientIp, String authenticator, Failure failure) {
    }

    private record QueryEvent(Instant at, String queryId, String user, String warehouse, String sql, Failure failure) {
    }

    private final List<LoginEvent> loginHistory = Collections.synchronizedList(new ArrayList<>());
    private final List<QueryEvent> queryHistory = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> sessionWarehouses = new ConcurrentHashMap<>();
    private volatile String failedLoginsSql;
    private volatile String failedQueriesSql;

    private SnowflakeResponder(String account) throws IOException {
        this.account = account;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Starts a responder for the account (e.g. {@code TESTACCT}) on a free loopback port. */
    public static SnowflakeResponder start(String account) {
        try {
            return new SnowflakeResponder(account.toUpperCase(Locale.ROOT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    private final Set<String> proxiedHosts = ConcurrentHashMap.newKeySet();

    /** Also answers requests addressed to {@code host:port}: a proxy in front of this responder (the Host header keeps its address). */
    public void answerFor(String hostAndPort) {
        proxiedHosts.add(hostAndPort);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String account() {
        return account;
    }

    /** A dbtool target URL for this responder: plain HTTP on loopback, with the given extra query. */
    public String url(String userInfo, String database, String extraQuery) {
        return "snowflake://" + (userInfo == null ? "" : userInfo + "@") + host() + ":" + port() + "/" + database
                + "?account=" + account.toLowerCase(Locale.ROOT) + "&ssl=off" + (extraQuery == null || extraQuery.isEmpty() ? "" : "&" + extraQuery);
    }

    /** A user who logs in with a password. */
    public SnowflakeResponder passwordUser(String name, String password) {
        users.put(name.toUpperCase(Locale.ROOT), new User(password, null, null, null));
        return this;
    }

    /** A user who logs in with a key pair: the JWT must be signed by the private half of this key. */
    public SnowflakeResponder keyPairUser(String name, PublicKey key) {
        users.put(name.toUpperCase(Locale.ROOT), new User(null, key, null, null));
        return this;
    }

    /** A user who logs in with this OAuth access token. */
    public SnowflakeResponder oauthUser(String name, String token) {
        users.put(name.toUpperCase(Locale.ROOT), new User(null, null, token, null));
        return this;
    }

    /** A user whose every login fails with this Snowflake error (network policy, MFA...). */
    public SnowflakeResponder loginFails(String name, String code, String message) {
        users.put(name.toUpperCase(Locale.ROOT), new User(null, null, null, new Failure(code, "08001", message)));
        return this;
    }

    /** The role and warehouse a session gets when the login names none. */
    public SnowflakeResponder sessionDefaults(String role, String warehouse) {
        this.role = role;
        this.warehouse = warehouse;
        return this;
    }

    /** The result for a statement (matched with whitespace collapsed and a trailing ';' ignored). */
    public SnowflakeResponder answer(String sql, CannedResult result) {
        answers.put(normalize(sql), result);
        failures.remove(normalize(sql));
        return this;
    }

    /**
     * Answers a statement from what the responder has served so far, computed when the statement
     * arrives, as Snowflake answers its history table functions: the statement itself is still
     * running then, so it is not in the history it reads.
     */
    public SnowflakeResponder answerFromHistory(String sql, Function<History, CannedResult> answer) {
        computed.put(normalize(sql), answer);
        answers.remove(normalize(sql));
        failures.remove(normalize(sql));
        return this;
    }

    /** The finished statements and login attempts so far. */
    public History history() {
        synchronized (executed) {
            synchronized (logins) {
                return new History(List.copyOf(executed), List.copyOf(logins));
            }
        }
    }

    /** The error for a statement, e.g. {@code 003001}, {@code 42501}, "SQL access control error: ...". */
    public SnowflakeResponder fail(String sql, String code, String sqlState, String message) {
        failures.put(normalize(sql), new Failure(code, sqlState, message));
        answers.remove(normalize(sql));
        return this;
    }

    /**
     * Holds the answer to a statement back for this long, like a query that runs: until then the
     * driver waits, and a cancel (abort-request) ends it at once with Snowflake's "SQL execution
     * canceled" error.
     */
    public SnowflakeResponder delay(String sql, Duration duration) {
        delays.put(normalize(sql), duration);
        return this;
    }

    /**
     * Answers these two statements from what this responder saw, as Snowflake answers them from its
     * history: {@code failedLogins} with every login it refused (EVENT_TIMESTAMP, USER_NAME, CLIENT_IP,
     * REPORTED_CLIENT_TYPE, FIRST_AUTHENTICATION_FACTOR, ERROR_CODE, ERROR_MESSAGE), {@code failedQueries}
     * with every statement it failed (END_TIME, QUERY_ID, USER_NAME, WAREHOUSE_NAME, EXECUTION_STATUS,
     * ERROR_CODE, ERROR_MESSAGE, QUERY_TEXT), oldest first. The SQL is not parsed: the caller names the
     * statements that ask for failures, and gets the failures that really happened here.
     */
    public SnowflakeResponder historyFor(String failedLogins, String failedQueries) {
        this.failedLoginsSql = normalize(failedLogins);
        this.failedQueriesSql = normalize(failedQueries);
        return this;
    }

    private CannedResult failedLogins() {
        CannedResult result = CannedResult.columns("EVENT_TIMESTAMP:timestamp_ltz", "USER_NAME", "CLIENT_IP", "REPORTED_CLIENT_TYPE",
                "FIRST_AUTHENTICATION_FACTOR", "ERROR_CODE:fixed", "ERROR_MESSAGE");
        synchronized (loginHistory) {
            for (LoginEvent event : loginHistory) {
                if (event.failure() != null) {
                    result.row(event.at(), event.user().toUpperCase(Locale.ROOT), event.clientIp(), "JDBC_DRIVER",
                            event.authenticator().equals("SNOWFLAKE_JWT") ? "RSA_KEYPAIR" : event.authenticator().equals("OAUTH") ? "OAUTH_ACCESS_TOKEN"
                                    : "PASSWORD", Long.parseLong(event.failure().code()), event.failure().message());
                }
            }
        }
        return result;
    }

    private CannedResult failedQueries() {
        CannedResult result = CannedResult.columns("END_TIME:timestamp_ltz", "QUERY_ID", "USER_NAME", "WAREHOUSE_NAME", "EXECUTION_STATUS",
                "ERROR_CODE:fixed", "ERROR_MESSAGE", "QUERY_TEXT");
        synchronized (queryHistory) {
            for (QueryEvent event : queryHistory) {
                result.row(event.at(), event.queryId(), event.user().toUpperCase(Locale.ROOT), event.warehouse(), "FAILED_WITH_ERROR",
                        Long.parseLong(event.failure().code()), event.failure().message(),
                        event.sql().length() > 300 ? event.sql().substring(0, 300) : event.sql());
            }
        }
        return result;
    }

    /** The statements the driver asked to cancel (abort-request), in order. */
    public List<String> aborts() {
        synchronized (aborts) {
            return List.copyOf(aborts);
        }
    }

    public List<Login> logins() {
        synchronized (logins) {
            return List.copyOf(logins);
        }
    }

    public List<Query> queries() {
        synchronized (queries) {
            return List.copyOf(queries);
        }
    }

    /** Every request as "METHOD path", in order. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests the responder did not expect: unknown endpoints, foreign Host headers, unknown statements. */
    public List<String> unexpected() {
        synchronized (unexpected) {
            return List.copyOf(unexpected);
        }
    }

    /** How many sessions the driver closed (POST /session?delete=true). */
    public int deletedSessions() {
        return deletedSessions;
    }

    /** Throws an AssertionError naming every request the responder did not expect. */
    public void assertOnlyExpectedTraffic() {
        List<String> seen = unexpected();
        if (!seen.isEmpty()) {
            throw new AssertionError("the Snowflake responder saw unexpected requests:\n  " + String.join("\n  ", seen));
        }
    }

    @Override
    public void close() {
        pending.values().forEach(CountDownLatch::countDown);
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(exchange.getRequestMethod() + " " + path);
            String expectedHost = host() + ":" + port();
            String hostHeader = exchange.getRequestHeaders().getFirst("Host");
            if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()
                    || hostHeader == null || !(hostHeader.equals(expectedHost) || hostHeader.equals("localhost:" + port())
                    || proxiedHosts.contains(hostHeader))) {
                unexpected.add(exchange.getRequestMethod() + " " + path + " for Host " + hostHeader);
                send(exchange, 421, "{}");
                return;
            }
            JsonObject body = body(exchange);
            switch (path) {
                case "/session/v1/login-request" -> login(exchange, parameters(query), body);
                case "/queries/v1/query-request" -> query(exchange, parameters(query).getOrDefault("requestId", ""), body);
                case "/queries/v1/abort-request" -> {
                    aborts.add(text(body, "sqlText"));
                    CountDownLatch running = pending.get(text(body, "requestId"));
                    if (running != null) {
                        running.countDown();
                    }
                    send(exchange, 200, ok(JsonNull.INSTANCE).toString());
                }
                case "/session" -> {
                    if ("true".equals(parameters(query).get("delete"))) {
                        deletedSessions++;
                        send(exchange, 200, ok(JsonNull.INSTANCE).toString());
                    } else {
                        unexpected(exchange, path + "?" + query);
                    }
                }
                case "/session/heartbeat" -> send(exchange, 200, ok(JsonNull.INSTANCE).toString());
                default -> unexpected(exchange, path);
            }
        } catch (RuntimeException e) {
            unexpected.add("responder failed: " + e);
            throw e;
        }
    }

    private void unexpected(HttpExchange exchange, String what) throws IOException {
        unexpected.add(exchange.getRequestMethod() + " " + what);
        send(exchange, 404, "{}");
    }

    private void login(HttpExchange exchange, Map<String, String> urlParameters, JsonObject body) throws IOException {
        JsonObject data = body.getAsJsonObject("data");
        String loginAccount = text(data, "ACCOUNT_NAME").toUpperCase(Locale.ROOT);
        String user = text(data, "LOGIN_NAME");
        String authenticator = text(data, "AUTHENTICATOR").isEmpty() ? "SNOWFLAKE" : text(data, "AUTHENTICATOR").toUpperCase(Locale.ROOT);
        Map<String, String> sessionParameters = new LinkedHashMap<>();
        if (data.has("SESSION_PARAMETERS") && data.get("SESSION_PARAMETERS").isJsonObject()) {
            data.getAsJsonObject("SESSION_PARAMETERS").entrySet().forEach(e -> sessionParameters.put(e.getKey(),
                    e.getValue().isJsonNull() ? null : e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString()));
        }
        Failure failure = check(loginAccount, user, authenticator, data);
        logins.add(new Login(loginAccount, user, authenticator, sessionParameters, text(data, "CLIENT_APP_ID"),
                text(data, "CLIENT_APP_VERSION"), failure == null, Instant.now()));
        if (loginAccount.equals(account)) {
            loginHistory.add(new LoginEvent(Instant.now(), user, exchange.getRemoteAddress().getAddress().getHostAddress(), authenticator, failure));
        }
        if (!loginAccount.equals(account)) {
            // What Snowflake answers for an account identifier it does not serve.
            send(exchange, 403, "");
            return;
        }
        if (failure != null) {
            send(exchange, 200, error(failure, null).toString());
            return;
        }
        String token = "session-" + UUID.randomUUID();
        sessionTokens.put(token, user);
        if (sessionParameters.get("QUERY_TAG") != null) {
            sessionTags.put(token, sessionParameters.get("QUERY_TAG"));
        }
        sessionWarehouses.put(token, upper(urlParameters.getOrDefault("warehouse", warehouse)));
        JsonObject session = new JsonObject();
        session.addProperty("masterToken", "master-" + UUID.randomUUID());
        session.addProperty("token", token);
        session.addProperty("validityInSeconds", 3600);
        session.addProperty("masterValidityInSeconds", 14400);
        session.addProperty("displayUserName", user.toUpperCase(Locale.ROOT));
        session.addProperty("serverVersion", SERVER_VERSION);
        session.addProperty("firstLogin", false);
        session.add("remMeToken", JsonNull.INSTANCE);
        session.addProperty("remMeValidityInSeconds", 0);
        session.addProperty("healthCheckInterval", 45);
        session.add("newClientForUpgrade", JsonNull.INSTANCE);
        session.addProperty("sessionId", ids.incrementAndGet());
        session.add("parameters", sessionParameters(sessionParameters));
        JsonObject info = new JsonObject();
        info.addProperty("databaseName", upper(urlParameters.get("databaseName")));
        info.addProperty("schemaName", upper(urlParameters.getOrDefault("schemaName", "PUBLIC")));
        info.addProperty("warehouseName", upper(urlParameters.getOrDefault("warehouse", warehouse)));
        info.addProperty("roleName", upper(urlParameters.getOrDefault("roleName", role)));
        session.add("sessionInfo", info);
        session.add("idToken", JsonNull.INSTANCE);
        session.addProperty("idTokenValidityInSeconds", 0);
        session.add("responseData", JsonNull.INSTANCE);
        session.add("mfaToken", JsonNull.INSTANCE);
        session.addProperty("mfaTokenValidityInSeconds", 0);
        send(exchange, 200, ok(session).toString());
    }

    /** Why the login fails, or null when it succeeds. */
    private Failure check(String loginAccount, String user, String authenticator, JsonObject data) {
        if (!loginAccount.equals(account)) {
            return new Failure("403", "08001", "HTTP 403 Forbidden");
        }
        User known = users.get(user.toUpperCase(Locale.ROOT));
        Failure wrongPassword = new Failure("390100", "08004", "Incorrect username or password was specified.");
        if (known == null) {
            return wrongPassword;
        }
        if (known.forcedFailure() != null) {
            return known.forcedFailure();
        }
        return switch (authenticator) {
            case "SNOWFLAKE" -> known.password() != null && known.password().equals(text(data, "PASSWORD")) ? null : wrongPassword;
            case "SNOWFLAKE_JWT" -> known.publicKey() != null
                    && Jwt.verifies(text(data, "TOKEN"), known.publicKey(), account, user.toUpperCase(Locale.ROOT))
                    ? null : new Failure("390144", "08004", "JWT token is invalid. [" + UUID.randomUUID() + "]");
            case "OAUTH" -> known.oauthToken() != null && known.oauthToken().equals(text(data, "TOKEN"))
                    ? null : new Failure("390303", "08004", "Invalid OAuth access token. [" + UUID.randomUUID() + "]");
            default -> {
                unexpected.add("login with authenticator " + authenticator);
                yield wrongPassword;
            }
        };
    }

    private void query(HttpExchange exchange, String requestId, JsonObject body) throws IOException {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        String token = authorization.replaceFirst("^Snowflake Token=\"(.*)\"$", "$1");
        if (!sessionTokens.containsKey(token)) {
            unexpected.add("query without a valid session token");
            send(exchange, 200, error(new Failure("390112", "08001", "Your session has expired. Please login again."), null).toString());
            return;
        }
        String sql = text(body, "sqlText");
        Map<String, String> parameters = new LinkedHashMap<>();
        if (body.has("parameters") && body.get("parameters").isJsonObject()) {
            body.getAsJsonObject("parameters").entrySet().forEach(e -> parameters.put(e.getKey(),
                    e.getValue().isJsonNull() ? null : e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString()));
        }
        queries.add(new Query(sql, parameters));
        Instant started = Instant.now();
        String tag = parameters.get("QUERY_TAG") != null ? parameters.get("QUERY_TAG") : sessionTags.get(token);
        boolean failed = true;
        try {
            failed = !respond(exchange, requestId, token, sql);
        } finally {
            executed.add(new Executed(sql, tag, started, Instant.now(), failed));
        }
    }

    /** Answers one statement; true when it succeeded. */
    private boolean respond(HttpExchange exchange, String requestId, String token, String sql) throws IOException {
        String key = normalize(sql);
        String queryId = queryId();
        Duration delay = delays.get(key);
        if (delay != null && !requestId.isEmpty()) {
            CountDownLatch cancelled = new CountDownLatch(1);
            pending.put(requestId, cancelled);
            try {
                if (cancelled.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    Failure canceled = new Failure("000604", "57014", "SQL execution canceled");
                    queryHistory.add(new QueryEvent(Instant.now(), queryId, sessionTokens.get(token), sessionWarehouses.get(token), sql, canceled));
                    send(exchange, 200, error(canceled, queryId).toString());
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                pending.remove(requestId);
            }
        }
        Failure failure = failures.get(key);
        if (failure != null) {
            queryHistory.add(new QueryEvent(Instant.now(), queryId, sessionTokens.get(token), sessionWarehouses.get(token), sql, failure));
            send(exchange, 200, error(failure, queryId).toString());
            return false;
        }
        Function<History, CannedResult> fromHistory = computed.get(key);
        CannedResult result = fromHistory != null ? fromHistory.apply(history())
                : key.equals(failedLoginsSql) ? failedLogins() : key.equals(failedQueriesSql) ? failedQueries() : answers.get(key);
        if (result == null) {
            unexpected.add("statement with no canned answer: " + key);
            send(exchange, 200, error(new Failure("002003", "02000",
                    "SQL compilation error:\nthe test responder has no answer for this statement"), queryId).toString());
            return false;
        }
        JsonObject data = new JsonObject();
        data.add("parameters", new JsonArray());
        data.add("rowtype", result.rowtype());
        data.add("rowset", result.rowset());
        data.addProperty("total", result.size());
        data.addProperty("returned", result.size());
        data.addProperty("queryId", queryId);
        data.add("databaseProvider", JsonNull.INSTANCE);
        data.add("finalDatabaseName", JsonNull.INSTANCE);
        data.add("finalSchemaName", JsonNull.INSTANCE);
        data.add("finalWarehouseName", JsonNull.INSTANCE);
        data.add("finalRoleName", JsonNull.INSTANCE);
        data.addProperty("numberOfBinds", 0);
        data.addProperty("arrayBindSupported", false);
        data.addProperty("statementTypeId", 4096);
        data.addProperty("version", 1);
        data.addProperty("sendResultTime", System.currentTimeMillis());
        data.addProperty("queryResultFormat", "json");
        send(exchange, 200, ok(data).toString());
        return true;
    }

    private String queryId() {
        return String.format("01bc%04x-0000-4e2a-0000-%012x", ids.get() & 0xffff, ids.incrementAndGet());
    }

    private static JsonArray sessionParameters(Map<String, String> requested) {
        Map<String, String> effective = new LinkedHashMap<>();
        effective.put("AUTOCOMMIT", "true");
        effective.put("CLIENT_SESSION_KEEP_ALIVE", "false");
        effective.put("TIMEZONE", "UTC");
        effective.putAll(requested);
        JsonArray parameters = new JsonArray();
        effective.forEach((name, value) -> {
            JsonObject parameter = new JsonObject();
            parameter.addProperty("name", name);
            if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
                parameter.addProperty("value", Boolean.parseBoolean(value));
            } else if (value != null && value.matches("-?\\d{1,9}")) {
                parameter.addProperty("value", Integer.parseInt(value));
            } else {
                parameter.addProperty("value", value);
            }
            parameters.add(parameter);
        });
        return parameters;
    }

    private static JsonObject ok(JsonElement data) {
        JsonObject response = new JsonObject();
        response.add("data", data);
        response.add("code", JsonNull.INSTANCE);
        response.add("message", JsonNull.INSTANCE);
        response.addProperty("success", true);
        return response;
    }

    private static JsonObject error(Failure failure, String queryId) {
        JsonObject data = new JsonObject();
        data.addProperty("internalError", false);
        data.addProperty("errorCode", failure.code());
        data.addProperty("age", 0);
        data.addProperty("sqlState", failure.sqlState());
        if (queryId != null) {
            data.addProperty("queryId", queryId);
        }
        data.addProperty("line", -1);
        data.addProperty("pos", -1);
        JsonObject response = new JsonObject();
        response.add("data", data);
        response.addProperty("code", failure.code());
        response.addProperty("message", failure.message());
        response.addProperty("success", false);
        response.add("headers", JsonNull.INSTANCE);
        return response;
    }

    private static JsonObject body(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        if (raw.length == 0) {
            return new JsonObject();
        }
        InputStream in = new ByteArrayInputStream(raw);
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        JsonElement parsed = JsonParser.parseString(text);
        return parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String text(JsonObject object, String key) {
        JsonElement value = object == null ? null : object.get(key);
        if (value == null || value.isJsonNull()) {
            return "";
        }
        return value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }

    static String normalize(String sql) {
        String text = Objects.requireNonNull(sql).replaceAll("\\s+", " ").trim();
        return text.endsWith(";") ? text.substring(0, text.length() - 1).trim() : text;
    }
}
