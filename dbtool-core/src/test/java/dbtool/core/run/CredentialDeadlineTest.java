package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fetching credentials is inside the run's deadline (issue 13, item 5). The providers here stand for a
 * secret store that never answers; VaultDeadlineIT in the distribution does the same with the real Vault
 * provider and a socket that accepts and never replies.
 */
class CredentialDeadlineTest {

    private static ResolvedTarget target(String method) {
        return new ResolvedTarget(FakeEngine.target(), new FakeEngine(List.of()), Map.of("method", method), Map.of(), null);
    }

    /** A provider that answers once the latch opens, ignoring interrupts as a blocking call in a driver may. */
    private static CredentialProvider waitingFor(CountDownLatch answers, Credentials credentials, boolean prompts) {
        return new CredentialProvider() {
            public String method() {
                return "silent";
            }

            public boolean mayPrompt(CredentialRequest request) {
                return prompts;
            }

            public Optional<Credentials> credentials(CredentialRequest request) {
                FakeEngine.waitIgnoringInterrupts(answers);
                return Optional.of(credentials);
            }
        };
    }

    @Test
    void aSecretStoreThatNeverAnswersEndsTheCommandAtTheDeadlineAndALateLeaseIsRevoked() throws Exception {
        CountDownLatch answers = new CountDownLatch(1);
        AtomicInteger revoked = new AtomicInteger();
        CountDownLatch revokedLatch = new CountDownLatch(1);
        Credentials late = Credentials.password("v-token-ro-9", "pw".toCharArray(), "vault:database/creds/ro").withRelease(() -> {
            revoked.incrementAndGet();
            revokedLatch.countDown();
        });
        CredentialResolver resolver = new CredentialResolver(List.of(waitingFor(answers, late, false)));
        Deadline deadline = Deadline.start(Duration.ofSeconds(1));
        DbtoolException error;
        try {
            error = assertThrows(DbtoolException.class, () -> resolver.resolve(target("silent"), false, deadline));
            long elapsed = deadline.elapsedMillis();
            assertTrue(elapsed >= 1_000 && elapsed < 1_000 + 3_000, "gave up after " + elapsed + " ms");
        } finally {
            answers.countDown(); // Vault answers after all, too late
        }
        assertEquals(3, error.exitCode());
        assertTrue(error instanceof CredentialResolver.OutOfTime, "an overrun, which the command reports as not run");
        assertEquals("credentials (silent): not obtained within the deadline of 1 s (a secret store, Kerberos or DNS did not"
                + " answer); raise it with --timeout", error.getMessage());
        assertTrue(revokedLatch.await(10, TimeUnit.SECONDS), "the late lease is revoked");
        assertEquals("\0\0", new String(late.password().orElseThrow()), "and its password wiped");
        assertEquals(1, revoked.get());
    }

    @Test
    void aProviderThatBoundsItsOwnWaitsIsToldTheRunsDeadline() {
        List<Instant> told = new ArrayList<>();
        CredentialProvider bounded = new CredentialProvider() {
            public String method() {
                return "bounded";
            }

            public Optional<Credentials> credentials(CredentialRequest request) {
                throw new AssertionError("asked without the deadline");
            }

            @Override
            public Optional<Credentials> credentials(CredentialRequest request, Instant deadline) {
                told.add(deadline);
                return Optional.of(Credentials.none());
            }
        };
        Deadline deadline = Deadline.start(Duration.ofSeconds(5));
        new CredentialResolver(List.of(bounded)).resolve(target("bounded"), false, deadline).close();
        assertEquals(List.of(deadline.at()), told);
    }

    @Test
    void credentialsInTimeAreHandedOverAndRegisteredForRelease() {
        Credentials credentials = Credentials.password("u", "pw".toCharArray(), "vault:kv/data/x");
        CountDownLatch open = new CountDownLatch(0);
        int before = PendingReleases.process().size();
        Credentials got = new CredentialResolver(List.of(waitingFor(open, credentials, false)))
                .resolve(target("silent"), false, Deadline.start(Duration.ofSeconds(5)));
        try {
            assertSame(credentials, got);
            assertEquals(before + 1, PendingReleases.process().size());
        } finally {
            PendingReleases.process().done(got);
        }
    }

    @Test
    void aProviderThatMayPromptIsAskedWithoutTheDeadline() {
        CredentialResolver resolver = new CredentialResolver(List.of(waitingFor(new CountDownLatch(0), Credentials.none(), true)));
        assertTrue(resolver.mayPrompt(target("silent"), true));
        assertFalse(resolver.mayPrompt(target("silent"), false), "no terminal, no prompt");
    }
}
