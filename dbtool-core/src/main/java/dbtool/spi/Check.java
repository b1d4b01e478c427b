package dbtool.spi;

import java.util.List;
import java.util.Set;

/**
 * One diagnostic of an engine. Implementations are stateless and keep their query text
 * beside them; one class per check.
 *
 * <p>A check must honour {@link CheckContext#remaining()} (server-side timeouts no longer than
 * the time left) and must never modify the database. When it cannot tell, it throws: dbtool
 * turns the exception into an UNKNOWN result whose reason is the exception's message, so the
 * message must be one readable line and must never contain a secret.
 */
public interface Check {

    /**
     * Stable id used with {@code --check}, e.g. {@code blocking}. Lower case, dashes.
     *
     * @return the id, unique among the engine's checks
     */
    String id();

    /**
     * The category {@code --check} also selects by, and the report orders checks by.
     *
     * @return one of {@link Category}'s names (or a plugin-specific one)
     */
    String category();

    /**
     * What the check looks at, for {@code dbtool checks}.
     *
     * @return one line
     */
    String description();

    /**
     * The thresholds this check reads, with their defaults: {@code dbtool checks ENGINE} lists
     * them, and a configuration key that no check of the engine declares is refused (exit 78).
     * A check reads them only through {@link Threshold#value}. None by default.
     *
     * @return the declared thresholds; empty for none
     */
    default List<Threshold> thresholds() {
        return List.of();
    }

    /**
     * The names of this check's metrics that the server counts up since it started or its
     * statistics were reset (commits, deadlocks, bytes written), as opposed to a value read now
     * (sessions, lag, a ratio). Monitoring ({@code dbtool serve}) exports them as counters, whose
     * rate over time is what a graph shows; the others are gauges. The JSON report is the same
     * for both. None by default, so a check written before this existed exports gauges only.
     *
     * @return metric names as this check's results give them; empty for none
     */
    default Set<String> counters() {
        return Set.of();
    }

    /**
     * The codes of every finding this check can report, e.g. {@code PG_BLOCKING_CHAIN}, so they
     * can be listed, documented and checked without running it: every code has a playbook that
     * {@code dbtool explain CODE} prints, and a plugin's tests can fail when a code has none. A
     * check that reports a code it does not declare still works; it only escapes those tests.
     * None by default, so a check written before this existed compiles unchanged.
     *
     * @return finding codes, upper snake case and prefixed by the engine; empty for none declared
     */
    default Set<String> findingCodes() {
        return Set.of();
    }

    /**
     * Runs the check.
     *
     * @param session the engine session opened for this troubleshoot
     * @param context deadline, thresholds and options
     * @return findings and metrics; never null
     * @throws Exception when the check cannot tell (becomes UNKNOWN with the message as reason)
     */
    CheckResult run(EngineSession session, CheckContext context) throws Exception;
}
