package dbtool.spi;

import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/**
 * A self-contained demonstration: starts a throwaway server on this machine, stages an
 * incident on it and hands back its URL, for {@code dbtool demo}.
 */
public interface DemoScenario {

    /**
     * The engine whose checks will diagnose the demo.
     *
     * @return the engine id of that plugin
     */
    String engine();

    /**
     * What the scenario stages, for {@code dbtool demo --list}.
     *
     * @return one line
     */
    String description();

    /**
     * The scenario's name for {@code dbtool demo --scenario NAME} (lower case with dashes). A
     * plugin may provide several scenarios for its engine, one class each; without
     * {@code --scenario}, dbtool runs the one named {@code incident}, else the engine's first.
     * A scenario written before this method existed is its engine's {@code incident}.
     *
     * @return the name, {@code incident} unless overridden
     */
    default String name() {
        return "incident";
    }

    /**
     * Starts the server and stages the incident.
     *
     * @param progress where to print what is happening (stderr)
     * @return the running demo, to troubleshoot and then close
     * @throws Exception with a one-line message saying what is missing, e.g. server binaries
     */
    Running start(PrintStream progress) throws Exception;

    /** A running demo; closing it stops the server and deletes its files. */
    interface Running extends AutoCloseable {
        /**
         * The URL to troubleshoot.
         *
         * @return the URL, with credentials if the demo needs them
         */
        URI url();

        /**
         * Threshold overrides for the diagnosis: a freshly staged incident is seconds old, so a
         * demo lowers the time thresholds that would otherwise hide it. Empty by default.
         *
         * @return threshold values by name
         */
        default Map<String, String> thresholds() {
            return Map.of();
        }

        @Override
        void close();
    }
}
