package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.spi.CheckResult;
import dbtool.spi.Credentials;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TroubleshootRunnerTest {

    /** This test's own pending releases: nothing shared with other tests or the process. */
    private final PendingReleases pending = new PendingReleases();

    private Report run(FakeEngine engine, Duration timeout) {
        return run(engine, timeout, Credentials.none());
    }

    private Report run(FakeEngine engine, Duration timeout, Credentials credentials) {
        return new TroubleshootRunner("test", dbtool.core.log.RunLog.off(), pending).run(new TroubleshootRunner.Request(FakeEngine.target(), engine,
                engine.checks(), credentials, timeout, Map.of()));
    }

    private static CheckResult finding(Severity severity) {
        return CheckResult.builder().add(Finding.of("F_" + severity, severity, severity + " thing").build()).build();
    }

    @Test
    void statusIsTheWorstAndInfoCountsAsOk() {
        FakeEngine engine = new FakeEngine(List.of(
                FakeEngine.check("a", c -> finding(Severity.INFO)),
                FakeEngine.check("b", c -> finding(Severity.WARNING)),
                FakeEngine.check("c", c -> CheckResult.healthy())));
        Report report = run(engine, Duration.ofSeconds(5));
        assertEquals(Severity.WARNING, report.status());
        assertEquals(1, report.exitCode());
        assertEquals(Severity.OK, report.checks().getFirst().status(), "INFO alone is OK");
        assertTrue(engine.closed.get(), "the session is closed");
    }

    @Test
    void aFailingCheckIsUnknownWithItsReasonAndTheOthersStillReport() {
        FakeEngine engine = new FakeEngine(List.of(
                FakeEngine.check("broken", c -> {
                    throw new IllegalStateException("permission denied for view pg_stat_statements");
                }),
                FakeEngine.check("fine", c -> finding(Severity.CRITICAL))));
        Report report = run(engine, Duration.ofSeconds(5));
        CheckReport broken = report.checks().getFirst();
        assertEquals(Severity.UNKNOWN, broken.status());
        assertEquals("permission denied for view pg_stat_statements", broken.error());
        assertEquals(Severity.CRITICAL, report.checks().get(1).status());
        assertEquals(Severity.CRITICAL, report.status(), "CRITICAL outranks UNKNOWN");
    }

    @Test
    void aSlowCheckIsCutAtTheDeadlineAndLaterChecksAreNotRun() {
        FakeEngine engine = new FakeEngine(List.of(
                FakeEngine.check("slow", c -> {
                    Thread.sleep(30_000);
                    return CheckResult.healthy();
                }),
                FakeEngine.check("after", c -> CheckResult.healthy())));
        Report report = run(engine, Duration.ofMillis(500));
        CheckReport slow = report.checks().getFirst();
        assertEquals(Severity.UNKNOWN, slow.status());
        assertTrue(slow.error().contains("deadline"), slow.error());
        assertTrue(engine.cancelled.get(), "the running statement is cancelled");
        assertTrue(report.checks().get(1).error().startsWith("not run"), report.checks().get(1).error());
        assertEquals(3, report.exitCode());
    }

    @Test
    void aSessionThatCannotOpenIsCriticalAndEveryCheckSaysWhy() {
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("a", c -> CheckResult.healthy())));
        engine.openFailure = new IllegalArgumentException("no such host");
        Report report = run(engine, Duration.ofSeconds(5));
        assertEquals(Severity.CRITICAL, report.status());
        assertEquals("session", report.checks().getFirst().id());
        assertEquals("SESSION_FAILED", report.checks().getFirst().findings().getFirst().code());
        assertEquals("not run: no session with the target", report.checks().get(1).error());
    }

    @Test
    void aTargetThePluginCannotUseAsConfiguredIsAConfigurationErrorAndItsCredentialsAreWiped() {
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("a", c -> CheckResult.healthy())));
        engine.openFailure = new dbtool.spi.TargetConfigurationException(
                "target 'billing': options.driver is mssql-jdbc, but no mssql-jdbc jar is in plugins/sqlserver/");
        Credentials credentials = Credentials.password("alice", "hunter2".toCharArray(), "test");
        dbtool.core.DbtoolException error = org.junit.jupiter.api.Assertions.assertThrows(dbtool.core.DbtoolException.class,
                () -> run(engine, Duration.ofSeconds(5), credentials));
        assertEquals(78, error.exitCode());
        assertEquals("target 'billing': options.driver is mssql-jdbc, but no mssql-jdbc jar is in plugins/sqlserver/", error.getMessage());
        assertEquals("\0".repeat(7), new String(credentials.password().orElseThrow()));
    }

    @Test
    void credentialsAreWipedOnceTheSessionIsOpen() {
        char[] secret = "hunter2".toCharArray();
        Credentials credentials = Credentials.password("alice", secret, "test");
        run(new FakeEngine(List.of()), Duration.ofSeconds(5), credentials);
        assertEquals("\0\0\0\0\0\0\0", new String(credentials.password().orElseThrow()));
        assertTrue(!credentials.toString().contains("hunter2"));
    }

    @Test
    void noChecksMeansUnknown() {
        Report report = run(new FakeEngine(List.of()), Duration.ofSeconds(5));
        assertEquals(Severity.UNKNOWN, report.status());
        assertEquals(3, report.exitCode());
    }

    @Test
    void checkSelectionByIdAndCategoryAndUnknownNames() {
        FakeEngine engine = new FakeEngine(List.of(
                FakeEngine.check("q", "queries", c -> CheckResult.healthy()),
                FakeEngine.check("conn", "connectivity", c -> CheckResult.healthy()),
                FakeEngine.check("blocking", "locks", c -> CheckResult.healthy())));
        assertEquals(List.of("conn", "blocking", "q"), CheckSelection.select(engine.checks(), null, "fake").stream().map(c -> c.id()).toList(),
                "connectivity first, then locks, resources, queries");
        assertEquals(List.of("conn", "q"), CheckSelection.select(engine.checks(), "queries, conn", "fake").stream().map(c -> c.id()).toList());
        var error = org.junit.jupiter.api.Assertions.assertThrows(dbtool.core.DbtoolException.class,
                () -> CheckSelection.select(engine.checks(), "bloking", "fake"));
        assertEquals(64, error.exitCode());
        assertTrue(error.getMessage().contains("did you mean 'blocking'"), error.getMessage());
        assertNull(null);
    }

    @Test
    void aDeadlineTooShortToOpenASessionIsUnknownWithoutAnExtraCheck() {
        // --timeout 0.01: nothing is known about the target, so nothing is CRITICAL (docs/exit-codes.md).
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("a", c -> CheckResult.healthy()),
                FakeEngine.check("b", c -> CheckResult.healthy())));
        engine.openDelay = Duration.ofSeconds(30);
        Credentials credentials = Credentials.password("alice", "hunter2".toCharArray(), "test");
        Report report = run(engine, Duration.ofMillis(10), credentials);
        assertEquals(List.of("a", "b"), report.checks().stream().map(CheckReport::id).toList(), "no extra 'session' check");
        for (CheckReport check : report.checks()) {
            assertEquals(Severity.UNKNOWN, check.status(), check.id());
            assertEquals("not run: the deadline of 0.01 s was reached before a session was open (raise it with --timeout)",
                    check.error());
            assertTrue(check.findings().isEmpty(), check.id());
        }
        assertEquals(Severity.UNKNOWN, report.status());
        assertEquals(3, report.exitCode());
        assertEquals("\0".repeat(7), new String(credentials.password().orElseThrow()), "wiped although open failed");
    }

    @Test
    void aDeadlineUsedUpByFetchingCredentialsOpensNoSession() throws Exception {
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("a", c -> CheckResult.healthy())));
        Deadline deadline = Deadline.start(Duration.ofMillis(20));
        Thread.sleep(50); // Vault took the time
        Report report = new TroubleshootRunner("test", dbtool.core.log.RunLog.off(), pending).run(new TroubleshootRunner.Request(
                FakeEngine.target(), engine, engine.checks(), Credentials.none(), Duration.ofMillis(20), Map.of(), deadline));
        assertEquals(1, engine.openCalled.getCount(), "no connection attempt after the deadline");
        assertEquals("not run: the deadline of 0.02 s was reached before a session was open (raise it with --timeout)",
                report.checks().getFirst().error());
        assertEquals(3, report.exitCode());
        assertTrue(report.durationMs() >= 50, "the report's duration includes the credentials: " + report.durationMs());
    }

    @Test
    void aFrozenServerCannotHoldTheRunPastTheDeadlineAndItsGrace() throws Exception {
        // SIGSTOP on the server mid-check: the statement never returns, the driver's cancel and close wait for
        // answers that never come (and ignore interrupts), and so does the lease's revocation in Vault.
        java.util.concurrent.CountDownLatch thawed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch checkRunning = new java.util.concurrent.CountDownLatch(1);
        FakeEngine engine = new FakeEngine(List.of(
                FakeEngine.check("frozen", c -> {
                    checkRunning.countDown();
                    FakeEngine.waitIgnoringInterrupts(thawed);
                    return CheckResult.healthy();
                }),
                FakeEngine.check("later", c -> CheckResult.healthy())));
        engine.frozen = thawed;
        Credentials credentials = pending.register(Credentials.password("v-token-ro-3", "pw".toCharArray(), "vault:database/creds/ro")
                .withRelease(() -> FakeEngine.waitIgnoringInterrupts(thawed)));
        Duration timeout = Duration.ofSeconds(1);
        java.util.concurrent.atomic.AtomicReference<Report> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        long start = System.nanoTime();
        Thread run = Thread.ofPlatform().daemon().start(() -> outcome.set(run(engine, timeout, credentials)));
        try {
            run.join(Duration.ofSeconds(20));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(run.isAlive(), "the run is still waiting for the frozen server after 20 s");
            // Deadline + grace (1 s), with room for a loaded CI machine; far below the frozen server's "never".
            assertTrue(elapsedMillis < timeout.toMillis() + 3_000, "the run took " + elapsedMillis + " ms");
            assertTrue(elapsedMillis >= timeout.toMillis(), "the run took " + elapsedMillis + " ms");
        } finally {
            thawed.countDown(); // no thread outlives the test
        }
        assertEquals(0, checkRunning.getCount(), "the check was running when the server froze");
        Report report = outcome.get();
        assertEquals("did not finish before the deadline of 1 s (raise it with --timeout)", report.checks().get(0).error());
        assertEquals("not run: the deadline of 1 s was reached", report.checks().get(1).error());
        assertTrue(engine.cancelled.get(), "the statement was cancelled");
        assertTrue(engine.closed.get(), "the session was closed");
        assertEquals(3, report.exitCode());
        assertEquals(0, pending.size(), "the shutdown hook does not wait for the frozen Vault a second time");
    }

    @Test
    void credentialsAreWipedWhenTheSessionCannotOpen() {
        FakeEngine engine = new FakeEngine(List.of());
        engine.openFailure = new IllegalArgumentException("unsupported option 'sslmode=maybe'");
        Credentials credentials = Credentials.token("alice", "tok-123".toCharArray(), "test");
        Report report = run(engine, Duration.ofSeconds(5), credentials);
        assertEquals("unsupported option 'sslmode=maybe'", report.checks().getFirst().error());
        assertEquals("\0".repeat(7), new String(credentials.token().orElseThrow()));
    }

    @Test
    void aLeaseIsReleasedOnceAfterTheRunEvenWhenChecksFail() {
        java.util.concurrent.atomic.AtomicInteger releases = new java.util.concurrent.atomic.AtomicInteger();
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("broken", c -> {
            throw new IllegalStateException("boom");
        })));
        Credentials credentials = Credentials.password("v-token-ro-123", "pw".toCharArray(), "vault:database/creds/ro")
                .withRelease(() -> {
                    assertTrue(engine.closed.get(), "the session is closed before the lease goes");
                    releases.incrementAndGet();
                });
        run(engine, Duration.ofSeconds(5), credentials);
        assertEquals(1, releases.get());
    }

    @Test
    void afterCtrlCTheReleaseRunsOnAThreadThatIsNotInterruptedAndTheFlagIsRestored() throws Exception {
        java.util.concurrent.CountDownLatch checkRunning = new java.util.concurrent.CountDownLatch(1);
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("hangs", c -> {
            checkRunning.countDown();
            Thread.sleep(60_000);
            return CheckResult.healthy();
        })));
        java.util.concurrent.atomic.AtomicReference<Boolean> interruptedDuringRelease = new java.util.concurrent.atomic.AtomicReference<>();
        Credentials credentials = Credentials.password("v-token-ro-1", "pw".toCharArray(), "vault:database/creds/ro")
                .withRelease(() -> interruptedDuringRelease.set(Thread.currentThread().isInterrupted()));
        pending.register(credentials);
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean flagAfterwards = new java.util.concurrent.atomic.AtomicBoolean();
        Thread shell = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(run(engine, Duration.ofSeconds(60), credentials));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
            flagAfterwards.set(Thread.currentThread().isInterrupted());
        });
        checkRunning.await();
        shell.interrupt(); // what the shell's Ctrl-C handler does
        shell.join(Duration.ofSeconds(60));
        assertFalse(shell.isAlive(), "the run ended");
        assertTrue(outcome.get() instanceof TroubleshootRunner.Interrupted, String.valueOf(outcome.get()));
        assertEquals(Boolean.FALSE, interruptedDuringRelease.get(), "the release ran, on a thread not interrupted");
        assertTrue(flagAfterwards.get(), "the interrupt is restored for the shell");
        assertEquals(0, pending.size(), "nothing left for the shutdown hook");
    }

    @Test
    void theShutdownReleaseRunsWhatTheRunnerDidNotReleaseAndReportsWhatItGaveUpOn() throws Exception {
        java.util.concurrent.atomic.AtomicInteger releases = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch vaultAnswers = new java.util.concurrent.CountDownLatch(1);
        Credentials leased = pending.register(Credentials.password("u", "pw".toCharArray(), "vault:database/creds/ro")
                .withRelease(releases::incrementAndGet));
        Credentials hanging = pending.register(Credentials.password("u", "pw".toCharArray(), "vault:database/creds/slow")
                .withRelease(() -> {
                    try {
                        vaultAnswers.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            assertEquals(1, pending.releaseAtExit(Duration.ofSeconds(2), reported::add), "the hanging release is given up on");
        } finally {
            vaultAnswers.countDown(); // no thread outlives the test
        }
        assertEquals(1, releases.get());
        assertEquals("\0\0", new String(leased.password().orElseThrow()), "wiped");
        assertEquals(0, pending.size());
        assertEquals(List.of("1 credential lease was not revoked within 2 s of the shutdown; it stays until its TTL ends"), reported);
        leased.release();
        assertEquals(1, releases.get(), "a release runs once");
        assertTrue(hanging.source().endsWith("slow"));
    }

    @Test
    void aSecondCtrlCDuringTheReleaseDoesNotCostTheLease() throws Exception {
        java.util.concurrent.CountDownLatch checkRunning = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch vaultAnswers = new java.util.concurrent.CountDownLatch(1);
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("hangs", c -> {
            checkRunning.countDown();
            Thread.sleep(60_000);
            return CheckResult.healthy();
        })));
        java.util.concurrent.atomic.AtomicBoolean revoked = new java.util.concurrent.atomic.AtomicBoolean();
        Credentials credentials = pending.register(Credentials.password("v-token-ro-2", "pw".toCharArray(), "vault:database/creds/ro")
                .withRelease(() -> {
                    releaseStarted.countDown();
                    try {
                        vaultAnswers.await(); // the HTTP call to Vault, which an interrupt would fail
                        revoked.set(true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread shell = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(run(engine, Duration.ofSeconds(60), credentials));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        try {
            checkRunning.await();
            shell.interrupt(); // Ctrl-C
            releaseStarted.await();
            shell.interrupt(); // Ctrl-C again, impatient, while Vault is revoking the lease
        } finally {
            vaultAnswers.countDown();
        }
        shell.join(Duration.ofSeconds(60));
        assertFalse(shell.isAlive(), "the run ended");
        assertTrue(outcome.get() instanceof TroubleshootRunner.Interrupted, String.valueOf(outcome.get()));
        assertTrue(revoked.get(), "the lease was revoked despite the second Ctrl-C");
        assertEquals(0, pending.size());
    }

    @Test
    void aSessionThatOpensAfterTheRunnerGaveUpIsClosed() throws Exception {
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("a", c -> CheckResult.healthy())));
        java.util.concurrent.CountDownLatch serverAnswers = new java.util.concurrent.CountDownLatch(1);
        engine.openGate = serverAnswers;
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread shell = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(run(engine, Duration.ofSeconds(60)));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        try {
            assertTrue(engine.openCalled.await(60, java.util.concurrent.TimeUnit.SECONDS), "open() was called");
            shell.interrupt(); // Ctrl-C while the driver is connecting
            assertTrue(engine.openInterrupted.await(60, java.util.concurrent.TimeUnit.SECONDS), "the runner gave up on open()");
        } finally {
            serverAnswers.countDown(); // the connection is made after all
        }
        shell.join(Duration.ofSeconds(60));
        assertFalse(shell.isAlive(), "the run ended");
        assertTrue(outcome.get() instanceof TroubleshootRunner.Interrupted, String.valueOf(outcome.get()));
        // The opener's thread closes the late session when open() returns, which may be just after
        // the run has ended: wait for it, within a bound.
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!engine.closed.get() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(engine.closed.get(), "the late session is closed, not leaked");
    }

    @Test
    void anyConfigurationExceptionFromOpenIsAConfigurationError() {
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("a", c -> CheckResult.healthy())));
        engine.openFailure = new dbtool.spi.ConfigurationException("VAULT_CACERT: /etc/vault/ca.pem does not exist");
        dbtool.core.DbtoolException error = org.junit.jupiter.api.Assertions.assertThrows(dbtool.core.DbtoolException.class,
                () -> run(engine, Duration.ofSeconds(5)));
        assertEquals(78, error.exitCode());
    }

    @Test
    void reasonsAreOneReadableLine() {
        FakeEngine engine = new FakeEngine(List.of(
                FakeEngine.check("no-message", c -> {
                    throw new java.net.SocketTimeoutException();
                }),
                FakeEngine.check("multi-line", c -> {
                    throw new IllegalStateException("ERROR: permission denied\n  Detail: role monitor\n");
                }),
                FakeEngine.check("no-result", c -> null)));
        Report report = run(engine, Duration.ofSeconds(5));
        assertEquals("SocketTimeoutException", report.checks().get(0).error());
        assertEquals("ERROR: permission denied Detail: role monitor", report.checks().get(1).error());
        assertEquals("the check returned no result", report.checks().get(2).error());
        report.checks().forEach(c -> assertEquals(Severity.UNKNOWN, c.status(), c.id()));
    }

    @Test
    void theDeadlineReasonSaysWhereTheSessionWas() {
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("slow", c -> {
            Thread.sleep(30_000);
            return CheckResult.healthy();
        })));
        engine.activity = "TCP connected in 1 ms;\nthe server did not answer the startup message in 0.3 s: the server process is hung";
        Report report = run(engine, Duration.ofMillis(300));
        assertEquals("did not finish before the deadline of 0.3 s (raise it with --timeout): TCP connected in 1 ms; the server did not "
                + "answer the startup message in 0.3 s: the server process is hung", report.checks().get(0).error());
        assertTrue(engine.cancelled.get(), "the statement is still cancelled");
    }

    @Test
    void theDeadlineReasonNamesTheTimeoutAndHowToRaiseIt() {
        FakeEngine engine = new FakeEngine(List.of(
                FakeEngine.check("slow", c -> {
                    Thread.sleep(30_000);
                    return CheckResult.healthy();
                }),
                FakeEngine.check("later", c -> CheckResult.healthy()),
                FakeEngine.check("last", c -> CheckResult.healthy())));
        Report report = run(engine, Duration.ofMillis(300));
        assertEquals("did not finish before the deadline of 0.3 s (raise it with --timeout)", report.checks().get(0).error());
        assertEquals("not run: the deadline of 0.3 s was reached", report.checks().get(1).error());
        assertEquals("not run: the deadline of 0.3 s was reached", report.checks().get(2).error());
    }

    @Test
    void checksSeeTheDeadlineAndThresholdsAndTheSessionNeverOutlivesTheRun() {
        java.util.concurrent.atomic.AtomicReference<dbtool.spi.CheckContext> seen = new java.util.concurrent.atomic.AtomicReference<>();
        FakeEngine engine = new FakeEngine(List.of(FakeEngine.check("a", c -> {
            seen.set(c);
            return CheckResult.builder().metric("waiting", 3).build();
        })));
        Report report = new TroubleshootRunner("test").run(new TroubleshootRunner.Request(FakeEngine.target(), engine,
                engine.checks(), Credentials.none(), Duration.ofSeconds(2), Map.of("long_query_seconds", "5")));
        assertEquals(5.0, Threshold.number("long_query_seconds", 60, "s", "WARNING from this long").value(seen.get()));
        assertTrue(seen.get().remaining().compareTo(Duration.ofSeconds(2)) <= 0);
        assertEquals(Map.of("waiting", 3), report.checks().getFirst().metrics());
        assertEquals(Duration.ofSeconds(2), engine.openedWith.statementTimeout(), "statements never outlast the run");
        assertEquals(Duration.ofSeconds(2), engine.openedWith.connectTimeout());
        assertEquals("dbtool", engine.openedWith.applicationName());
    }
}
