package dbtool.core.run;

import dbtool.spi.Category;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** An engine whose checks do what the test says, to exercise core without a database. */
final class FakeEngine implements EnginePlugin {

    interface Body {
        CheckResult run(CheckContext context) throws Exception;
    }

    final List<Check> checks;
    final AtomicBoolean cancelled = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();
    RuntimeException openFailure;
    /** What the session says it is doing (EngineSession.activity), or null for nothing. */
    volatile String activity;
    /** How long open() takes; it honours interruption, as a virtual thread's socket I/O does. */
    java.time.Duration openDelay = java.time.Duration.ZERO;
    volatile SessionSettings openedWith;
    /** When set, open() waits for it and ignores interrupts, as a driver stuck in a blocking call may. */
    volatile java.util.concurrent.CountDownLatch openGate;
    /** Counted down when open() is called. */
    final java.util.concurrent.CountDownLatch openCalled = new java.util.concurrent.CountDownLatch(1);
    /** Counted down when the runner, giving up, interrupts an open() waiting for {@link #openGate}. */
    final java.util.concurrent.CountDownLatch openInterrupted = new java.util.concurrent.CountDownLatch(1);

    FakeEngine(List<Check> checks) {
        this.checks = checks;
    }

    static Check check(String id, String category, Body body) {
        return new Check() {
            public String id() {
                return id;
            }

            public String category() {
                return category;
            }

            public String description() {
                return "fake " + id;
            }

            public CheckResult run(EngineSession session, CheckContext context) throws Exception {
                return body.run(context);
            }
        };
    }

    static Check check(String id, Body body) {
        return check(id, Category.RESOURCES, body);
    }

    static Target target() {
        return new Target("fake", URI.create("fake://host:1/db"), "fake", "host", 1, "db", List.of(), Map.of());
    }

    public String id() {
        return "fake";
    }

    public String displayName() {
        return "Fake";
    }

    public Set<String> schemes() {
        return Set.of("fake");
    }

    public int defaultPort() {
        return 1;
    }

    public List<Check> checks() {
        return checks;
    }

    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) throws Exception {
        openedWith = settings;
        openCalled.countDown();
        java.util.concurrent.CountDownLatch gate = openGate;
        boolean interrupted = false;
        try {
            Thread.sleep(openDelay);
        } catch (InterruptedException e) {
            if (gate == null) {
                throw e;
            }
            // the runner gave up before open() reached the gate (a loaded machine): the same give-up, seen earlier
            interrupted = true;
            openInterrupted.countDown();
        }
        while (gate != null) {
            try {
                gate.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                openInterrupted.countDown();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (openFailure != null) {
            throw openFailure;
        }
        return new EngineSession() {
            public void cancel() {
                cancelled.set(true);
                waitIgnoringInterrupts(frozen);
            }

            public java.util.Optional<String> activity() {
                return java.util.Optional.ofNullable(activity);
            }

            public void close() {
                closed.set(true);
                waitIgnoringInterrupts(frozen);
            }
        };
    }

    /**
     * When set, the session's cancel() and close() wait for it and ignore interrupts: a server that
     * stopped answering (SIGSTOP), whose driver waits for the answer to a cancel request or a goodbye.
     */
    volatile java.util.concurrent.CountDownLatch frozen;

    /** Waits for the latch (none: returns at once) the way a blocking network call does that ignores interrupts. */
    static void waitIgnoringInterrupts(java.util.concurrent.CountDownLatch latch) {
        boolean interrupted = false;
        while (latch != null) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
