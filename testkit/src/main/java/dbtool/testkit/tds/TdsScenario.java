package dbtool.testkit.tds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the responder knows: the SQL logins and their passwords, the databases, the server's name
 * and version, and the canned answers to SQL batches, as rules (a predicate on the batch text and
 * the answers to give, in turn, the last one repeating). Rules added later win, so a test can stage
 * an incident on top of a healthy server. The batches jTDS sends by itself, SET statements and
 * transaction housekeeping get a DONE; anything else no rule matches gets error 208 (invalid object
 * name), so a missing canned answer shows up as a failed check instead of a silent empty result.
 * Rules may be added while the responder runs.
 */
public final class TdsScenario {

    /** Canned answers in turn, or (when {@code computed} is set) an answer worked out from the batch and some state. */
    private record Rule(Predicate<String> matches, List<TdsAnswer> answers, AtomicInteger used, Function<String, TdsAnswer> computed) {
        TdsAnswer next(String sql) {
            return computed != null ? computed.apply(sql) : answers.get(Math.min(used.getAndIncrement(), answers.size() - 1));
        }
    }

    private static final Pattern FIRST_OBJECT = Pattern.compile("(?i)\\bFROM\\s+([\\w.\\[\\]#@]+)");

    private final Map<String, String> logins = new ConcurrentHashMap<>();
    private final Set<String> databases = ConcurrentHashMap.newKeySet();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private volatile String serverName = "SQLPROD01";
    private volatile int[] version = {15, 0, 4345};
    private volatile List<TdsAnswer.Failure> loginErrors = List.of();
    private volatile TdsBackingStore backingStore;

    public TdsScenario() {
        databases.add("master");
        databases.add("tempdb");
    }

    /** A SQL Server login and its password. */
    public TdsScenario login(String user, String password) {
        logins.put(user, password);
        return this;
    }

    /** A database a login may open (master and tempdb always exist). */
    public TdsScenario database(String name) {
        databases.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** The name in error messages ({@code @@SERVERNAME}) and the version in LOGINACK, e.g. 15, 0, 4345 for 2019 CU. */
    public TdsScenario server(String name, int major, int minor, int build) {
        this.serverName = name;
        this.version = new int[] {major, minor, build};
        return this;
    }

    /**
     * Refuses every login with these errors, in order, as SQL Server does for a disabled login (18470),
     * an expired password (18487), an Azure firewall rule (40615)... whatever the password.
     */
    public TdsScenario refuseLogin(TdsAnswer.Failure... errors) {
        this.loginErrors = List.of(errors);
        return this;
    }

    /**
     * Sends the batches no rule answers to this database (H2 in MSSQLServer mode) instead of failing them
     * with error 208, each connection in a session of its own: see {@link TdsBackingStore}.
     */
    public TdsScenario backedBy(TdsBackingStore store) {
        this.backingStore = store;
        return this;
    }

    TdsBackingStore backingStore() {
        return backingStore;
    }

    List<TdsAnswer.Failure> loginErrors() {
        return loginErrors;
    }

    /** Answers batches that match with these answers in turn; the last one repeats. */
    public TdsScenario answer(Predicate<String> matches, TdsAnswer first, TdsAnswer... then) {
        List<TdsAnswer> answers = new ArrayList<>();
        answers.add(first);
        answers.addAll(List.of(then));
        rules.addFirst(new Rule(matches, List.copyOf(answers), new AtomicInteger(), null));
        return this;
    }

    /**
     * Answers batches that match with what {@code answer} makes of each, for a server with state (see
     * {@link TdsServerConfiguration}); it is called on the connection's thread, one batch at a time per connection.
     */
    public TdsScenario answerWith(Predicate<String> matches, Function<String, TdsAnswer> answer) {
        rules.addFirst(new Rule(matches, List.of(), new AtomicInteger(), answer));
        return this;
    }

    /** Answers batches that match with these result sets (several in turn: a sample read twice). */
    public TdsScenario answer(Predicate<String> matches, TdsResult first, TdsResult... then) {
        TdsAnswer[] rest = Arrays.stream(then).map(TdsAnswer::rows).toArray(TdsAnswer[]::new);
        return answer(matches, TdsAnswer.rows(first), rest);
    }

    /** A predicate matching exactly this statement, ignoring differences in white space. */
    public static Predicate<String> statement(String sql) {
        String wanted = normalize(sql);
        return batch -> normalize(batch).equals(wanted);
    }

    /** A predicate matching batches that mention this text, case-insensitively. */
    public static Predicate<String> mentioning(String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        return batch -> batch.toLowerCase(Locale.ROOT).contains(wanted);
    }

    /** The statement with runs of white space made one space, as recorded in {@link TdsResponder#cancelled()}. */
    public static String normalize(String sql) {
        return sql.replaceAll("\\s+", " ").trim();
    }

    String serverName() {
        return serverName;
    }

    int[] version() {
        return version.clone();
    }

    /** The password of this login, or null when there is no such login. */
    String passwordOf(String user) {
        return logins.get(user);
    }

    boolean hasDatabase(String name) {
        return databases.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The canned answer for a batch, or null when only the built-in answers apply. */
    TdsAnswer cannedAnswer(String sql) {
        for (Rule rule : rules) {
            if (rule.matches().test(sql)) {
                return rule.next(sql);
            }
        }
        return null;
    }

    /**
     * All the answers of the rule that would answer this batch, without using any up: for tests that
     * compare the canned columns with the statement's SELECT list. Empty when no rule matches or its answers are computed.
     */
    public List<TdsAnswer> cannedAnswers(String sql) {
        for (Rule rule : rules) {
            if (rule.matches().test(sql)) {
                return rule.answers();
            }
        }
        return List.of();
    }

    /** What jTDS sends by itself and session settings: answered without a rule. */
    static TdsAnswer builtInAnswer(String sql) {
        String text = normalize(sql).toUpperCase(Locale.ROOT);
        if (text.startsWith("SELECT @@MAX_PRECISION")) {
            // jTDS's first batch after login, followed by SETs that restore its defaults
            return TdsAnswer.rows(TdsResult.columns(":int").row(38));
        }
        if (text.isEmpty() || text.startsWith("SET ") || text.startsWith("IF @@TRANCOUNT")) {
            return TdsAnswer.done();
        }
        return null;
    }

    /** The object a statement reads first, for the 208 error of a statement nobody expected. */
    static String firstObject(String sql) {
        Matcher m = FIRST_OBJECT.matcher(sql);
        return m.find() ? m.group(1) : "?";
    }
}
