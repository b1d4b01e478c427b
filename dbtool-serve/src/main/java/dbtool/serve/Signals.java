package dbtool.serve;

import sun.misc.Signal;

/**
 * SIGHUP, the Unix convention for "reread your configuration" ({@code systemctl reload}, {@code kill
 * -HUP}). The JDK has no supported API for it; {@code sun.misc.Signal} (jdk.unsupported, in the
 * runtime image already) is what servers on the JVM use. Windows has no SIGHUP: there, POST /-/reload.
 */
final class Signals {

    private Signals() {
    }

    static void onHangup(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGHUP on this platform (Windows), or the JVM reserves it (-Xrs): POST /-/reload remains
        }
    }
}
