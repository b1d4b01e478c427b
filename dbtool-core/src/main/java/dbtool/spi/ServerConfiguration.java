package dbtool.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * An optional capability of an {@link EnginePlugin}: showing and changing the server's configuration
 * parameters ({@code dbtool config show|set|rollback}). A plugin offers it by letting its plugin class
 * implement this interface; plugins that do not are told apart by {@code dbtool config} and keep working
 * for everything else.
 *
 * <p>The session it opens is, with {@code dbtool change}'s, the only one that may write: dbtool asks
 * first (unless {@code --yes}), audits each change, and writes only through {@link Session#apply}. Every
 * statement keeps the settings' statement and lock timeouts, so a change never queues behind a long
 * transaction. The engine validates a value against what the server itself declares (type, unit, range,
 * allowed values, whether it can change without a restart) before anything is written.
 */
public interface ServerConfiguration {

    /**
     * Opens a configuration session. Like {@link EnginePlugin#open} it should not connect before it is used.
     *
     * @param target      what to connect to
     * @param credentials what the credential chain found
     * @param settings    name, connect, statement and lock timeouts
     * @param write       false for {@code config show}: a read-only session whose {@link Session#apply} refuses;
     *                    true for {@code config set} and {@code rollback}, the only non-read-only sessions
     * @return the session; closing it releases its connection
     * @throws Exception with a one-line message (no secret) when the target cannot be handled at all
     */
    Session openConfiguration(Target target, Credentials credentials, SessionSettings settings, boolean write) throws Exception;

    /** One configuration session: reads parameters, checks a change, applies it and reads back. */
    interface Session extends AutoCloseable {

        /**
         * The server's parameters.
         *
         * @param names the names wanted, as typed (the engine's own case rules apply); empty for all
         * @return the parameters found, in the server's order; unknown names are left out
         * @throws Exception with a one-line message when the server cannot be read
         */
        List<Parameter> parameters(Collection<String> names) throws Exception;

        /**
         * Checks a change without writing anything: the parameter exists and may be changed this way,
         * and the value has its type, unit, range or allowed values.
         *
         * @param name         the parameter, as typed
         * @param value        the new value as typed (e.g. {@code 64MB}); null to go back to the
         *                     server's default (PostgreSQL's {@code ALTER SYSTEM RESET})
         * @param allowRestart whether a parameter that takes effect only after a restart may be written
         *                     and left pending
         * @return what {@link #apply} would do
         * @throws UsageException naming the parameter and what was expected, when the change is refused
         * @throws Exception      when the server cannot be read
         */
        Change plan(String name, String value, boolean allowRestart) throws Exception;

        /**
         * Writes a planned change and makes the server load it where it can without a restart, then
         * reads the parameter back until its running value is the new one or {@code verifyWithin} ends.
         *
         * @param change       from {@link #plan} on this session
         * @param verifyWithin the longest wait for the running value
         * @return the parameter as read back, and whether the new value is running
         * @throws UsageException naming the parameter, when the server refused the value itself and changed
         *                        nothing (for engines that cannot check every range in {@link #plan}, e.g. MongoDB)
         * @throws Exception      with a one-line message when the server refuses the change
         */
        Outcome apply(Change change, Duration verifyWithin) throws Exception;

        @Override
        void close();
    }

    /**
     * One server parameter as the server shows it; values are text in the server's own form.
     *
     * @param name           the parameter's name
     * @param value          the running value, with its unit where the engine shows one (e.g. {@code 4MB})
     * @param unit           the unit of {@code min} and {@code max}, or null
     * @param type           {@code bool}, {@code integer}, {@code real}, {@code string} or {@code enum}
     * @param source         where the running value comes from (e.g. {@code configuration file}, {@code default})
     * @param context        when it can change: {@code user}, {@code superuser}, {@code sighup} (reload),
     *                       {@code postmaster} (restart), {@code internal} (never), or the engine's words
     *                       ({@code dynamic}, {@code static}, {@code runtime}, {@code startup})
     * @param pendingRestart whether a written value waits for a restart
     * @param min            the smallest value, in {@code unit}, or null
     * @param max            the largest value, in {@code unit}, or null
     * @param allowed        the allowed values of an enum, else empty
     * @param configured     the value the engine's persistent configuration holds that dbtool writes
     *                       (PostgreSQL's {@code postgresql.auto.conf}, SQL Server's configured value),
     *                       or null when it holds none; {@code config rollback} writes it back
     * @param description    one line saying what the parameter does, or null
     */
    record Parameter(String name, String value, String unit, String type, String source, String context, boolean pendingRestart,
                     String min, String max, List<String> allowed, String configured, String description) {

        /** Copies {@code allowed}. */
        public Parameter {
            allowed = allowed == null ? List.of() : List.copyOf(allowed);
        }
    }

    /**
     * A checked change, not yet written.
     *
     * @param before    the parameter before the change
     * @param value     the new value as it will be written, in the server's spelling ({@code 64MB}, {@code on},
     *                  an enum value in its own case), or null to go back to the default
     * @param restart   whether it takes effect only after a restart
     * @param statement the statements that will run, for the confirmation and the audit (no secret)
     */
    record Change(Parameter before, String value, boolean restart, String statement) {
    }

    /**
     * What {@link Session#apply} found when it read the parameter back.
     *
     * @param after   the parameter as read back
     * @param running whether the new value is the running one; false when it waits for a restart
     *                ({@link Parameter#pendingRestart()}) or the wait ended first
     */
    record Outcome(Parameter after, boolean running) {
    }
}
