/**
 * dbtool's credential providers, loaded like a plugin (plugins/auth/). Vault and Kerberos logins
 * arrive here; today it provides the "password" method (an environment variable, or a masked
 * prompt on a terminal).
 */
module dbtool.auth {
    requires dbtool.core;

    provides dbtool.spi.CredentialProvider with dbtool.auth.PasswordCredentialProvider;
}
