/**
 * dbtool's credential providers, loaded like a plugin (plugins/auth/): the "password" method (an
 * environment variable, or a masked prompt on a terminal), the "vault" method (HashiCorp Vault
 * KV v2 and database secrets with a token, or a Kerberos login to Vault when there is no token)
 * and the "kerberos" method (GSSAPI from the ticket cache, a client keytab, or SSPI on Windows);
 * and the logins to Vault behind {@code dbtool auth login} (Kerberos, LDAP/AD and token), with the
 * token cached in ~/.vault-token and renewed before use when close to expiry.
 * Vault's HTTP API goes through the Vault Java driver (vault.java.driver, in plugins/auth/ next to this
 * module). Kerberos is the JDK's own (JGSS and its JAAS login module): no Kerberos library in this layer.
 */
module dbtool.auth {
    requires dbtool.core;
    requires java.net.http;
    requires vault.java.driver;
    requires com.google.gson;
    requires java.security.jgss;
    requires jdk.security.auth;

    provides dbtool.spi.CredentialProvider with dbtool.auth.PasswordCredentialProvider, dbtool.auth.vault.VaultCredentialProvider,
            dbtool.auth.kerberos.KerberosCredentialProvider;
    provides dbtool.spi.IdentityReporter with dbtool.auth.vault.VaultIdentityReporter,
            dbtool.auth.kerberos.KerberosIdentityReporter;
    provides dbtool.spi.LoginHandler with dbtool.auth.vault.VaultLoginHandler;
}
