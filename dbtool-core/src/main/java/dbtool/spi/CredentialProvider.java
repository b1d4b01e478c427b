package dbtool.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * A source of credentials (Vault, Kerberos tickets, environment...), provided by a plugin with
 * {@code provides dbtool.spi.CredentialProvider with ...}.
 *
 * <p>Providers are tried in {@link #order()} when a target names no method; a target whose auth
 * block names a method uses the provider with that {@link #method()} only.
 */
public interface CredentialProvider {

    /**
     * The method name used in the configuration's {@code auth} block.
     *
     * @return a name such as {@code vault} or {@code kerberos}
     */
    String method();

    /**
     * Where this provider stands in the default chain (targets that name no method).
     *
     * @return the rank; lower runs first
     */
    default int order() {
        return 100;
    }

    /**
     * Whether this provider may ask the human at the terminal for the request's credentials (a masked
     * prompt). dbtool asks such a provider before the run's deadline starts, since nobody types a
     * password against a clock; every other provider is asked inside the deadline ({@code --timeout}),
     * and one that has not answered by then is given up on. The default: no prompt.
     *
     * @param request what the credentials are for
     * @return whether {@link #credentials(CredentialRequest)} may prompt for this request
     */
    default boolean mayPrompt(CredentialRequest request) {
        return false;
    }

    /**
     * Credentials for the request, or empty when this provider has nothing for it.
     *
     * @param request what the credentials are for: the target, its engine and its auth block
     * @return the credentials, or empty to let the next provider (or the engine's defaults) answer
     * @throws Exception with a one-line message, never containing a secret, when the provider
     *                   should have had credentials but failed (e.g. Vault answered 403)
     */
    Optional<Credentials> credentials(CredentialRequest request) throws Exception;

    /**
     * {@link #credentials(CredentialRequest)} inside the run's deadline ({@code --timeout}): what dbtool
     * calls when the run has one. dbtool gives up on a provider at the deadline whatever it is doing;
     * a provider that waits on the network overrides this to size its own timeouts to the deadline
     * too, so that a secret store that never answers leaves no request behind that outlives the
     * command (in the shell, the next one). The default ignores the deadline.
     *
     * @param request  what the credentials are for
     * @param deadline when the run's deadline ends
     * @return as {@link #credentials(CredentialRequest)}
     * @throws Exception as {@link #credentials(CredentialRequest)}
     */
    default Optional<Credentials> credentials(CredentialRequest request, Instant deadline) throws Exception {
        return credentials(request);
    }
}
