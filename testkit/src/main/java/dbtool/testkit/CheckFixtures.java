package dbtool.testkit;

import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EngineSession;
import dbtool.spi.Finding;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every engine's interpretation tests hand a check instead of a server: rows shaped as the
 * session returns them (column label to plain value) and a context carrying thresholds, and the
 * readers of what came back. One set for all plugins, so that a fixture row means the same thing
 * in every engine's tests.
 */
public final class CheckFixtures {

    private CheckFixtures() {
    }

    /**
     * A row from alternating column names and values, in that order. An {@link Instant} becomes its
     * ISO-8601 text, as the toolkit's value conversion hands timestamps to checks.
     */
    public static Map<String, Object> row(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("a row needs a value for every column name");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            row.put((String) namesAndValues[i], value instanceof Instant instant ? instant.toString() : value);
        }
        return row;
    }

    /** A context with these settings (alternating threshold names and values) and a deadline far enough away. */
    public static CheckContext context(String... settings) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return context(values);
    }

    /** A context with these settings and a deadline far enough away. */
    public static CheckContext context(Map<String, String> settings) {
        return context(settings, Duration.ofSeconds(60));
    }

    /** A context without settings whose deadline is {@code remaining} from now: for the timeouts a session derives from it. */
    public static CheckContext leaving(Duration remaining) {
        return context(Map.of(), remaining);
    }

    private static CheckContext context(Map<String, String> settings, Duration remaining) {
        Instant deadline = Instant.now().plus(remaining);
        return new CheckContext() {
            @Override
            public Instant deadline() {
                return deadline;
            }

            @Override
            public Map<String, String> settings() {
                return settings;
            }
        };
    }

    /** The one finding of a result; fails naming what there was when there is none or more. */
    public static Finding only(CheckResult result) {
        if (result.findings().size() != 1) {
            throw new AssertionError("expected one finding, got " + result.findings());
        }
        return result.findings().getFirst();
    }

    /** The first finding with this code, if any. */
    public static Optional<Finding> finding(CheckResult result, String code) {
        return result.findings().stream().filter(f -> f.code().equals(code)).findFirst();
    }

    /** The first finding with this code; fails naming the findings there were when there is none. */
    public static Finding require(CheckResult result, String code) {
        return finding(result, code).orElseThrow(() -> new AssertionError("no " + code + " in " + result.findings()));
    }

    /** What a probe does with the session; it may throw, as a check's run does. */
    @FunctionalInterface
    public interface ProbeBody {
        CheckResult run(EngineSession session, CheckContext context) throws Exception;
    }

    /**
     * A check that a test adds to a plugin's checks to look at the session from inside a run (count
     * the sessions, hang on a statement, freeze the server between two checks).
     */
    public static Check probe(String id, String category, String description, ProbeBody body) {
        return new Check() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String category() {
                return category;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public CheckResult run(EngineSession session, CheckContext context) throws Exception {
                return body.run(session, context);
            }
        };
    }
}
