package dbtool.auth.vault;

import dbtool.spi.LoginRequest;

/**
 * One way of logging in to Vault ({@code dbtool auth login --method NAME}). Implementations:
 * {@link LdapLogin}, {@link TokenLogin}, and Kerberos (see {@link VaultLogins#forMethod}).
 */
interface VaultLogin {

    /** The {@code --method} value, e.g. {@code ldap}. */
    String method();

    /**
     * Logs in.
     *
     * @param vault   a client without a token, for the login call itself (address, namespace, TLS set up)
     * @param request what the user asked for (user name, password variable, mount, terminal or not)
     * @return the new token; the caller caches it and clears it
     * @throws dbtool.spi.UsageException for a mistake on the command line
     * @throws Exception with a one-line message that holds no secret
     */
    VaultToken login(VaultClient vault, LoginRequest request) throws Exception;
}
