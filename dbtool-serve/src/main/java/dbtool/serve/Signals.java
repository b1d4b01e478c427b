package dbtool.serve;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The Unix signals a service manager sends: SIGHUP, "reread your configuration" ({@code systemctl
 * reload}, {@code kill -HUP}), and SIGTERM/SIGINT, "stop". The JDK has no supported API for either;
 * {@code sun.misc.Signal} (jdk.unsupported, in the runtime image already) is what servers on the JVM
 * use. Handling SIGTERM ourselves, instead of letting the JVM run its shutdown hooks, lets the drain
 * finish and the process exit 0 (a JVM ended by SIGTERM exits 143, which systemd counts as a failure).
 * Windows has no SIGHUP: there, POST /-/reload.
 */
final class Signals {

    private Signals() {
    }

    /**
     * Runs {@code action} on each signal, until the returned handle restores the previous handlers
     * (serve inside the {@code dbtool>} shell gives Ctrl-C back to the shell afterwards).
     */
    static AutoCloseable on(Runnable action, String... names) {
        List<Runnable> restore = new ArrayList<>();
        for (String name : names) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, received -> action.run());
                restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not on this platform (no SIGHUP on Windows), or reserved by the JVM (-Xrs): that signal keeps its default
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
