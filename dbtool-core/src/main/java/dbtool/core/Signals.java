package dbtool.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * The Unix signals a service manager sends: SIGHUP, "reread your configuration" ({@code systemctl
 * reload}, {@code kill -HUP}), and SIGTERM/SIGINT, "stop". The JDK has no supported API for either;
 * {@code sun.misc.Signal} (jdk.unsupported, in the runtime image already) is what servers on the JVM
 * use. Handling SIGTERM ourselves, instead of letting the JVM run its shutdown hooks, lets the drain
 * finish and the process exit 0 (a JVM ended by SIGTERM exits 143, which systemd counts as a failure).
 * Windows has no SIGHUP: there, POST /-/reload. {@code logs --follow} ends on SIGINT with its summary and exit 0.
 *
 * <p>It is reached by reflection: javac warns on every compile-time use of {@code sun.misc} ("internal
 * proprietary API"), that warning is not a lint key any option or annotation turns off under
 * {@code --release}, and the build treats warnings as errors. Kept to this one class.
 */
public final class Signals {

    private Signals() {
    }

    /**
     * Runs {@code action} on each signal, until the returned handle restores the previous handlers
     * (a command inside the {@code dbtool>} shell gives Ctrl-C back to the shell afterwards).
     */
    public static AutoCloseable on(Runnable action, String... names) {
        List<Runnable> restore = new ArrayList<>();
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            Object handler = handler(handlerType, action);
            for (String name : names) {
                try {
                    Object signal = signalType.getConstructor(String.class).newInstance(name);
                    Object previous = handle.invoke(null, signal, handler);
                    restore.add(() -> {
                        try {
                            handle.invoke(null, signal, previous);
                        } catch (ReflectiveOperationException e) {
                            // the handler stays ours; the process is ending or back in the shell, where Ctrl-C still stops the command
                        }
                    });
                } catch (InvocationTargetException e) {
                    // not on this platform (no SIGHUP on Windows), or reserved by the JVM (-Xrs): that signal keeps its default
                }
            }
        } catch (ReflectiveOperationException e) {
            // a runtime without jdk.unsupported: signals keep their defaults (SIGTERM still ends the JVM)
        }
        return () -> restore.forEach(Runnable::run);
    }

    /** A {@code sun.misc.SignalHandler} that runs {@code action}. */
    private static Object handler(Class<?> handlerType, Runnable action) {
        return Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType}, (proxy, method, args) -> switch (method.getName()) {
            case "handle" -> {
                action.run();
                yield null;
            }
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "dbtool's signal handler";
        });
    }
}
