package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.spi.CredentialProvider;
import dbtool.spi.CredentialRequest;
import dbtool.spi.Credentials;
import java.util.List;
import java.util.Optional;

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
     */
    public Credentials resolve(ResolvedTarget resolved, boolean interactive) {
        return PendingReleases.process().register(find(resolved, interactive));
    }

    private Credentials find(ResolvedTarget resolved, boolean interactive) {
        CredentialRequest request = new CredentialRequest(resolved.target(), resolved.auth(), interactive);
        String method = request.method();
        if (!method.isEmpty()) {
            CredentialProvider provider = providers.stream().filter(p -> p.method().equals(method)).findFirst()
                    .orElseThrow(() -> DbtoolException.config("targets." + resolved.target().name() + ".auth.method: '"
                            + method + "' is not provided by any installed plugin; available: "
                            + (providers.isEmpty() ? "none" : String.join(", ", providers.stream().map(CredentialProvider::method).toList()))));
            return obtain(provider, request).orElseThrow(() -> new DbtoolException(ExitCodes.UNKNOWN,
                    "credentials: the '" + method + "' method found no credentials for " + resolved.target().name()));
        }
        for (CredentialProvider provider : providers) {
            Optional<Credentials> credentials = obtain(provider, request);
            if (credentials.isPresent()) {
                return credentials.get();
            }
        }
        return Credentials.none();
    }

    private static Optional<Credentials> obtain(CredentialProvider provider, CredentialRequest request) {
        try {
            return provider.credentials(request);
        } catch (DbtoolException e) {
            throw e;
        } catch (InterruptedException e) {
            // Ctrl-C while fetching (e.g. waiting for Vault): the command ends as interrupted (130).
            Thread.currentThread().interrupt();
            throw new TroubleshootRunner.Interrupted();
        } catch (IllegalArgumentException e) {
            // Providers report a wrong auth block this way (ConfigurationException is one): a configuration mistake.
            throw DbtoolException.config("credentials (" + provider.method() + "): " + TroubleshootRunner.reason(e));
        } catch (Exception e) {
            throw new DbtoolException(ExitCodes.UNKNOWN, "credentials (" + provider.method() + "): "
                    + TroubleshootRunner.reason(e));
        }
    }
}
