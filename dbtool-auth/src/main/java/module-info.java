/**
 * dbtool's credential providers, loaded like a plugin (plugins/auth/): the "password" method (an
 * environment variable, or a masked prompt on a terminal) and the "vault" method (HashiCorp Vault
 * KV v2 and database secrets with a token), and logins to Vault for {@code dbtool auth login}
 * (LDAP/AD and token; Kerberos plugs in at {@code VaultLogins}), with the token cached in
 * ~/.vault-token and renewed before use when close to expiry.
 */
module dbtool.auth {
    requires dbtool.core;
    requires java.net.http;
    requires com.google.gson;

    provides dbtool.spi.CredentialProvider with dbtool.auth.PasswordCredentialProvider, dbtool.auth.vault.VaultCredentialProvider;
    provides dbtool.spi.IdentityReporter with dbtool.auth.vault.VaultIdentityReporter;
    provides dbtool.spi.LoginHandler with dbtool.auth.vault.VaultLoginHandler;
}
