package dbtool.plugin.snowflake;

import dbtool.spi.Credentials;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the session logs in, chosen from the credentials dbtool found and the target's options, in
 * this order: an explicit {@code externalbrowser} authenticator (desktops only), a private key
 * (from the credential provider, e.g. Vault KV, or the {@code private_key_file} option), an
 * OAuth token, a password (credential provider, URL, then {@code SNOWFLAKE_PASSWORD}).
 *
 * @param method     what a human reads: key-pair, oauth, password, externalbrowser, none
 * @param user       login name, may be null for OAuth
 * @param properties the driver's authentication properties (values may be a PrivateKey)
 * @param secrets    the secret strings among the properties, to scrub from any message
 * @param refusal    why no login is possible, or null; the session reports it instead of connecting
 */
public record Login(String method, String user, Map<String, Object> properties, List<String> secrets, String refusal) {

    /** Properties that hold a secret; removed once the connection attempt is over. */
    static final List<String> SECRET_PROPERTIES = List.of("password", "token", "privateKey", "passcode");

    public Login {
        properties = new LinkedHashMap<>(properties);
        secrets = List.copyOf(secrets);
    }

    public static Login choose(SnowflakeAddress address, Credentials credentials, LocalHost host) {
        String user = credentials.user().orElse(address.user() != null ? address.user() : host.env("SNOWFLAKE_USER"));
        Login login = chooseMethod(address, credentials, host, user);
        if (login.refusal() == null && user == null && !"oauth".equals(login.method())) {
            return refused(login.method(), null, "no user name: put it in the URL (snowflake://USER@ACCOUNT/...), the user "
                    + "option or SNOWFLAKE_USER");
        }
        return login;
    }

    private static Login chooseMethod(SnowflakeAddress address, Credentials credentials, LocalHost host, String user) {
        String authenticator = address.authenticator();
        if ("externalbrowser".equals(authenticator)) {
            if (!host.desktop()) {
                return refused("externalbrowser", user, "the externalbrowser login needs a desktop with a web browser, and this host "
                        + "has no display (SSH or headless): use key-pair authentication or an OAuth token");
            }
            if (!host.awtAvailable()) {
                return refused("externalbrowser", user, "the externalbrowser login needs the java.desktop module, which this "
                        + "dbtool runtime does not include: use key-pair authentication or an OAuth token");
            }
            return new Login("externalbrowser", user, Map.of("authenticator", "externalbrowser"), List.of(), null);
        }
        Optional<PrivateKey> key = credentials.privateKey();
        if (key.isEmpty() && address.privateKeyFile() != null) {
            try {
                key = Optional.of(keyFromFile(address, host));
            } catch (IllegalArgumentException e) {
                return refused("key-pair", user, e.getMessage());
            }
        }
        if ((key.isPresent() && authenticator == null) || "snowflake_jwt".equals(authenticator)) {
            if (key.isEmpty()) {
                return refused("key-pair", user, "authenticator snowflake_jwt needs a private key: from the credential provider "
                        + "or the private_key_file option");
            }
            return new Login("key-pair", user, Map.of("authenticator", "snowflake_jwt", "privateKey", key.get()), List.of(), null);
        }
        if (credentials.token().isPresent() && (authenticator == null || "oauth".equals(authenticator))) {
            String token = new String(credentials.token().get());
            return new Login("oauth", user, Map.of("authenticator", "oauth", "token", token), List.of(token), null);
        }
        if ("oauth".equals(authenticator)) {
            return refused("oauth", user, "authenticator oauth needs an OAuth access token from the credential provider");
        }
        String password = credentials.password().map(String::new)
                .orElse(address.urlPassword() != null ? address.urlPassword() : host.env("SNOWFLAKE_PASSWORD"));
        if (password != null) {
            return new Login("password", user, Map.of("authenticator", "snowflake", "password", password), List.of(password), null);
        }
        return refused("none", user, "no credentials for " + (user == null ? "the login" : "user " + user)
                + ": give a private key (auth block or private_key_file option), an OAuth token or a password");
    }

    private static PrivateKey keyFromFile(SnowflakeAddress address, LocalHost host) {
        String variable = address.privateKeyPassphraseEnv();
        char[] passphrase = null;
        if (variable != null) {
            String value = host.env(variable);
            if (value == null) {
                throw new IllegalArgumentException("private_key_pwd_env names " + variable + ", which is not set");
            }
            passphrase = value.toCharArray();
        }
        try {
            return PemPrivateKeys.read(Path.of(address.privateKeyFile()), passphrase);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static Login refused(String method, String user, String reason) {
        return new Login(method, user, Map.of(), List.of(), reason);
    }

    /** Never shows a secret. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>(properties.keySet());
        return "Login[method=" + method + ", user=" + user + ", properties=" + names + (refusal == null ? "" : ", refused") + "]";
    }
}
