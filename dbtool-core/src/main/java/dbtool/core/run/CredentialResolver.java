package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The credential chain of DESIGN.md section 6: the provider named by the target's auth method,
 * or else each provider in order until one has credentials; nothing found means the plugin uses
 * the engine's own conventions.
 */
public final class CredentialResolver {

    private final List<CredentialProvider> providers;

    public CredentialResolver(List<CredentialProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /**
     * The target's credentials, registered with {@link PendingReleases} so that a release (a Vault
     * lease) happens even when the process is ended by a signal before the runner releases them.
     *
     * <p>Fetching them (Vault, a Kerberos login, the DNS lookups underneath) is inside the run's
     * deadline: the chain runs on a thread of its own, and when it has not answered by the deadline
     * {@link OutOfTime} says which method did not answer. Credentials that arrive after
     * that are released and wiped at once, so a late lease does not outlive the command. With no
     * deadline (a prompt may ask a human, see {@link #mayPrompt}), the chain runs on this thread.
     *
     * @param deadline the run's deadline, or null when nothing here may be bounded
     */
    public Credentials resolve(ResolvedTarget resolved, boolean interactive, Deadline deadline) {
        CredentialRequest request = new CredentialRequest(resolved.target(), resolved.auth(), interactive);
        if (deadline == null) {
            return PendingReleases.process().register(find(request, null, new AtomicReference<>()));
        }
        return PendingReleases.process().register(findWithin(request, deadline));
    }

    /** {@link #resolve} without a deadline. */
    public Credentials resolve(ResolvedTarget resolved, boolean interactive) {
        return resolve(resolved, interactive, null);
    }

    /**
     * Whether a provider may ask the human at the terminal for these credentials (a masked prompt): the
     * run's deadline then starts once they are in, since nobody types a password against a clock.
     */
    public boolean mayPrompt(ResolvedTarget resolved, boolean interactive) {
        CredentialRequest request = new CredentialRequest(resolved.target(), resolved.auth(), interactive);
        return interactive && providers.stream().anyMatch(p -> p.mayPrompt(request));
    }

    private static final Object ABANDONED = new Object();

    /**
     * The credentials did not come before the run's deadline. An overrun like any other: the command
     * reports every check as not run (UNKNOWN, exit 3) and says on stderr which method did not answer.
     */
    public static final class OutOfTime extends DbtoolException {
        OutOfTime(String message) {
            super(ExitCodes.UNKNOWN, message);
        }
    }

    private Credentials findWithin(CredentialRequest request, Deadline deadline) {
        AtomicReference<String> asking = new AtomicReference<>(request.method());
        // The credentials handed over, or ABANDONED once the wait gave up: what arrives later is released.
        AtomicReference<Object> handover = new AtomicReference<>();
        CompletableFuture<Credentials> found = new CompletableFuture<>();
        Thread fetching = Thread.ofVirtual().name("dbtool-credentials").start(() -> {
            try {
                Credentials credentials = find(request, deadline.at(), asking);
                if (handover.compareAndSet(null, credentials)) {
                    found.complete(credentials);
                } else {
                    discard(credentials);
                }
            } catch (Throwable e) {
                found.completeExceptionally(e);
            }
        });
        try {
            return found.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (handover.getAndSet(ABANDONED) instanceof Credentials justInTime) {
                return justInTime;
            }
            fetching.interrupt(); // a virtual thread's blocking socket is closed by the interrupt
            String method = asking.get().isEmpty() ? "" : " (" + asking.get() + ")";
            throw new OutOfTime("credentials" + method + ": not obtained within the deadline of "
                    + TroubleshootRunner.seconds(deadline.timeout()) + " (a secret store, Kerberos or DNS did not answer);"
                    + " raise it with --timeout");
        } catch (InterruptedException e) {
            if (handover.getAndSet(ABANDONED) instanceof Credentials arrived) {
                discard(arrived);
            }
            fetching.interrupt();
            Thread.currentThread().interrupt();
            throw new TroubleshootRunner.Interrupted();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new DbtoolException(ExitCodes.UNKNOWN, "credentials: " + TroubleshootRunner.reason(e.getCause()));
        }
    }

    /**
     * Credentials nobody waits for any more: their secrets wiped first (revoking needs the lease,
     * not the password, and may wait on the network), then their lease revoked.
     */
    private static void discard(Credentials credentials) {
        credentials.close();
        try {
            credentials.release();
        } catch (RuntimeException ignored) {
            // the lease stays until its TTL; the command already ended with its own message
        }
    }

    /** @param deadline when the run's deadline ends, or null when there is none */
    private Credentials find(CredentialRequest request, Instant deadline, AtomicReference<String> asking) {
        String method = request.method();
        String name = request.target().name();
        if (!method.isEmpty()) {
            CredentialProvider provider = providers.stream().filter(p -> p.method().equals(method)).findFirst()
                    .orElseThrow(() -> DbtoolException.config("targets." + name + ".auth.method: '"
                            + method + "' is not provided by any installed plugin; available: "
                            + (providers.isEmpty() ? "none" : String.join(", ", providers.stream().map(CredentialProvider::method).toList()))));
            return obtain(provider, request, deadline).orElseThrow(() -> new DbtoolException(ExitCodes.UNKNOWN,
                    "credentials: the '" + method + "' method found no credentials for " + name));
        }
        for (CredentialProvider provider : providers) {
            asking.set(provider.method());
            Optional<Credentials> credentials = obtain(provider, request, deadline);
            if (credentials.isPresent()) {
                return credentials.get();
            }
        }
        return Credentials.none();
    }

    private static Optional<Credentials> obtain(CredentialProvider provider, CredentialRequest request, Instant deadline) {
        try {
            return deadline == null ? provider.credentials(request) : provider.credentials(request, deadline);
        } catch (DbtoolException e) {
            throw e;
        } catch (InterruptedException e) {
            // Ctrl-C while fetching (e.g. waiting for Vault) or at a masked prompt: the command ends with 130.
            Thread.currentThread().interrupt();
            throw new TroubleshootRunner.Interrupted(e);
        } catch (IllegalArgumentException e) {
            // Providers report a wrong auth block this way (ConfigurationException is one): a configuration mistake.
            throw DbtoolException.config("credentials (" + provider.method() + "): " + TroubleshootRunner.reason(e));
        } catch (Exception e) {
            throw new DbtoolException(ExitCodes.UNKNOWN, "credentials (" + provider.method() + "): "
                    + TroubleshootRunner.reason(e));
        }
    }
}
