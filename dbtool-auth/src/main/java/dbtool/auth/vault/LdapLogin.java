package dbtool.auth.vault;

import com.google.gson.JsonObject;
import dbtool.auth.EnvironmentVariableName;
import dbtool.spi.LoginRequest;
import dbtool.spi.SecretPrompt;
import dbtool.spi.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.function.Function;

/**
 * {@code --method ldap}: Vault's LDAP auth method (also Active Directory), {@code POST
 * auth/MOUNT/login/USER {"password": ...}}. The user defaults to the OS login name. The password
 * comes from the variable {@code --password-env} names, else DBTOOL_LDAP_PASSWORD (automation),
 * else a masked prompt on a terminal; never from an argument, which others could read in the
 * process list. The login is the Vault Java driver's {@code loginByLDAP}.
 */
final class LdapLogin implements VaultLogin {

    static final String PASSWORD_VARIABLE = "DBTOOL_LDAP_PASSWORD";
    private final Function<String, String> environment;
    private final SecretPrompt prompt;

    LdapLogin(Function<String, String> environment, SecretPrompt prompt) {
        this.environment = environment;
        this.prompt = prompt;
    }

    @Override
    public String method() {
        return "ldap";
    }

    @Override
    public VaultToken login(VaultClient vault, LoginRequest request) throws Exception {
        String user = request.username() != null && !request.username().isBlank()
                ? request.username().trim() : System.getProperty("user.name", "");
        if (user.isBlank()) {
            throw new UsageException("--username: no user name given and the OS login name is unknown");
        }
        String mount = request.mount() != null && !request.mount().isBlank() ? request.mount().replaceAll("^/+|/+$", "") : "ldap";
        if (user.contains("/")) {
            // The driver's request URL decodes %2F back into a path separator, so the login would reach
            // another path; Active Directory forbids '/' in sAMAccountName anyway.
            throw new UsageException("--username: '" + user + "' has a '/', which Vault's LDAP login path (auth/"
                    + mount + "/login/USER) cannot carry");
        }
        char[] password = password(user, request);
        if (password.length == 0) {
            throw new UsageException("the LDAP password for " + user + " is empty");
        }
        try {
            String path = "auth/" + mount + "/login/" + pathSegment(user);
            JsonObject answer = vault.loginLdap(mount, pathSegment(user), password);
            return VaultToken.fromAuth(answer.has("auth") && answer.get("auth").isJsonObject() ? answer.getAsJsonObject("auth") : null,
                    user + " (ldap, auth/" + mount + ")", "the LDAP login at " + path);
        } catch (VaultClient.VaultException e) {
            throw new IllegalStateException("LDAP login of " + user + " failed: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] password(String user, LoginRequest request) throws InterruptedException {
        if (request.passwordEnv() != null) {
            if (!EnvironmentVariableName.isValid(request.passwordEnv())) {
                throw new UsageException(EnvironmentVariableName.notANameMessage("--password-env"));
            }
            String value = environment.apply(request.passwordEnv());
            if (value == null || value.isEmpty()) {
                throw new UsageException("--password-env names a variable that is not set");
            }
            return value.toCharArray();
        }
        String automated = environment.apply(PASSWORD_VARIABLE);
        if (automated != null && !automated.isEmpty()) {
            return automated.toCharArray();
        }
        char[] typed = request.interactive() ? prompt.read("LDAP password for " + user + ": ").orElse(null) : null;
        if (typed == null) {
            throw new UsageException("no LDAP password for " + user + ": no terminal to prompt on; set "
                    + PASSWORD_VARIABLE + " or name a variable with --password-env VAR");
        }
        return typed;
    }

    private static String pathSegment(String user) {
        try {
            return new URI(null, null, user, null).getRawPath().replace("/", "%2F");
        } catch (URISyntaxException e) {
            throw new UsageException("--username: not a usable user name");
        }
    }
}
