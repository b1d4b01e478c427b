package dbtool.spi;

import java.util.List;
import java.util.Map;

/**
 * Logs the user in to a secret store (e.g. Vault) and out again, for {@code dbtool auth login}
 * and {@code dbtool auth logout}. The credential it obtains (a token) stays inside the plugin,
 * which caches it where its own credential provider finds it; core only prints the facts returned.
 * Provided with {@code provides dbtool.spi.LoginHandler with ...}.
 */
public interface LoginHandler {

    /**
     * What it logs in to.
     *
     * @return a name such as {@code vault}
     */
    String name();

    /**
     * The login methods it offers.
     *
     * @return method names such as {@code kerberos}, {@code ldap}, {@code token}
     */
    List<String> methods();

    /**
     * The method used when the user names none (may depend on the operating system).
     *
     * @return one of {@link #methods()}
     */
    String defaultMethod();

    /**
     * Logs in and caches the result.
     *
     * @param request the method and its inputs as the user gave them
     * @return facts to show, in display order (e.g. {@code user}, {@code policies}, {@code expires},
     *         {@code token cached in}); never a secret
     * @throws UsageException for a mistake on the command line (exit 64); any other exception,
     *                        an {@link IllegalArgumentException} included, is a failed login (exit 3)
     * @throws ConfigurationException when the plugin's configuration or environment is wrong (exit 78)
     * @throws Exception      with a one-line message that holds no secret when the login fails (exit 3)
     */
    Map<String, String> login(LoginRequest request) throws Exception;

    /**
     * Ends the cached login (e.g. revokes the token and removes the cache it wrote).
     *
     * @return facts to show, in display order; never a secret
     * @throws Exception with a one-line message that holds no secret when the logout fails
     */
    Map<String, String> logout() throws Exception;
}
