/**
 * dbtool's credential providers, loaded like a plugin (plugins/auth/): the "password" method (an
 * environment variable, or a masked prompt on a terminal) and the "vault" method (HashiCorp Vault
 * KV v2 and database secrets with a token). Kerberos and LDAP logins to Vault arrive here next.
 */
module dbtool.auth {
    requires dbtool.core;
    requires java.net.http;
    requires com.google.gson;

    provides dbtool.spi.CredentialProvider with dbtool.auth.PasswordCredentialProvider, dbtool.auth.vault.VaultCredentialProvider;
    provides dbtool.spi.IdentityReporter with dbtool.auth.vault.VaultIdentityReporter;
}
