package dbtool.spi;

import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/**
 * A self-contained demonstration: starts a throwaway server on this machine, stages an
 * incident on it and hands back its URL, for {@code dbtool demo}.
 */
public interface DemoScenario {

    /** The engine id of the plugin whose checks will diagnose the demo. */
    String engine();

    /** One line for {@code dbtool demo --help}. */
    String description();

    /**
     * Starts the server and stages the incident.
     *
     * @param progress where to print what is happening (stderr)
     * @throws Exception with a one-line message saying what is missing, e.g. server binaries
     */
    Running start(PrintStream progress) throws Exception;

    /** A running demo; closing it stops the server and deletes its files. */
    interface Running extends AutoCloseable {
        /** URL to troubleshoot, with credentials if the demo needs them. */
        URI url();

        /**
         * Threshold overrides for the diagnosis: a freshly staged incident is seconds old, so a
         * demo lowers the time thresholds that would otherwise hide it. Empty by default.
         */
        default Map<String, String> thresholds() {
            return Map.of();
        }

        @Override
        void close();
    }
}
