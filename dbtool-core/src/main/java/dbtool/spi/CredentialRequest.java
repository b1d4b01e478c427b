package dbtool.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a credential provider is asked for.
 *
 * @param target the target that needs credentials
 * @param auth   the target's {@code "auth"} block from the configuration (e.g. {@code method},
 *               {@code secret}); empty when the target has none
 * @param interactive whether a human is at a terminal, so a masked prompt is allowed
 * @param deadline when the run's deadline ({@code --timeout}) ends, or null when the provider is not
 *                 bounded by one (a prompt, {@code dbtool auth login}); see {@link #timeLeft}
 */
public record CredentialRequest(Target target, Map<String, String> auth, boolean interactive, Instant deadline) {

    public CredentialRequest {
        auth = auth == null ? Map.of() : Map.copyOf(auth);
    }

    /** A request with no deadline (the form of SPI 1.0). */
    public CredentialRequest(Target target, Map<String, String> auth, boolean interactive) {
        this(target, auth, interactive, null);
    }

    /** The configured method, or empty when the chain should decide. */
    public String method() {
        return auth.getOrDefault("method", "");
    }

    /**
     * How long one network wait may take: {@code atMost}, or what is left of the run's deadline when
     * that is less (never below 1 ms). dbtool gives up on a provider at the deadline whatever it is
     * doing; sizing its timeouts by this makes it give up too, so a secret store that never answers
     * leaves no request behind that outlives the command (in the shell, the next one).
     */
    public Duration timeLeft(Duration atMost) {
        if (deadline == null) {
            return atMost;
        }
        Duration left = Duration.between(Instant.now(), deadline);
        return left.compareTo(atMost) < 0 ? (left.toMillis() < 1 ? Duration.ofMillis(1) : left) : atMost;
    }
}
