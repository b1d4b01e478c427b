package dbtool.plugin.snowflake;

import dbtool.spi.Target;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a Snowflake target is and what the session should use, from its URL and options:
 * {@code snowflake://[user@]ACCOUNT[.snowflakecomputing.com][:port][/DATABASE[/SCHEMA]][?warehouse=WH&role=R...]}.
 *
 * <p>A host without a dot is an account identifier ({@code myorg-myaccount} or a locator such as
 * {@code xy12345.eu-central-1} written with its region needs the full host); the account is then
 * the host's first label unless the {@code account} option names it. Options come from the URL
 * query and the target's configured options; only the ones listed in {@link #OPTIONS} are
 * accepted, so a typo or an attempt to weaken the session's safety settings fails loudly.
 *
 * @param urlPassword a password written into the URL's user-info; secret, never shown
 */
public record SnowflakeAddress(String account, String host, int port, boolean plainHttp, String database, String schema,
                               String warehouse, String role, String user, String urlPassword, String authenticator,
                               String privateKeyFile, String privateKeyPassphraseEnv, Map<String, String> driverOptions) {

    /** Options a target may set (lower case), and what each is for. */
    static final Map<String, String> OPTIONS = new TreeMap<>(Map.ofEntries(
            Map.entry("account", "account identifier, when the host does not start with it"),
            Map.entry("warehouse", "warehouse for the session"),
            Map.entry("role", "role for the session (one with MONITOR privileges is enough)"),
            Map.entry("database", "database for INFORMATION_SCHEMA table functions"),
            Map.entry("db", "same as database"),
            Map.entry("schema", "schema for the session"),
            Map.entry("user", "login name"),
            Map.entry("authenticator", "snowflake (password), snowflake_jwt (key pair), oauth, externalbrowser"),
            Map.entry("private_key_file", "PEM file with the PKCS#8 private key for key-pair login"),
            Map.entry("private_key_pwd_env", "environment variable holding the private key file's passphrase"),
            Map.entry("ssl", "off only for a loopback test responder"),
            Map.entry("ocspfailopen", "driver: allow the connection when the OCSP responder cannot be reached"),
            Map.entry("disableocspchecks", "driver: skip OCSP certificate revocation checks"),
            Map.entry("useproxy", "driver: use the HTTP proxy below"),
            Map.entry("proxyhost", "driver: HTTP proxy host"),
            Map.entry("proxyport", "driver: HTTP proxy port"),
            Map.entry("nonproxyhosts", "driver: hosts reached without the proxy"),
            Map.entry("proxyprotocol", "driver: http or https")));

    /** Options handed to the driver under the driver's own (case-sensitive) names. */
    private static final Map<String, String> DRIVER_OPTIONS = Map.of(
            "ocspfailopen", "ocspFailOpen", "disableocspchecks", "disableOCSPChecks", "useproxy", "useProxy",
            "proxyhost", "proxyHost", "proxyport", "proxyPort", "nonproxyhosts", "nonProxyHosts", "proxyprotocol", "proxyProtocol");

    private static final Set<String> AUTHENTICATORS = Set.of("snowflake", "snowflake_jwt", "oauth", "externalbrowser");

    /** Account identifiers: org-account names or account locators, optionally with region and cloud. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,252}");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    public SnowflakeAddress {
        driverOptions = Map.copyOf(driverOptions);
    }

    /** Reads a target; throws IllegalArgumentException with one line (no secret) when it cannot be used. */
    public static SnowflakeAddress of(Target target) {
        URI url = target.url();
        Map<String, String> options = new LinkedHashMap<>();
        target.urlQuery().forEach((key, value) -> options.put(key.toLowerCase(Locale.ROOT), value));
        target.settings().forEach((key, value) -> options.put(key.toLowerCase(Locale.ROOT), value));
        for (String key : options.keySet()) {
            if (!OPTIONS.containsKey(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "' for a Snowflake target; known options: "
                        + String.join(", ", OPTIONS.keySet()));
            }
        }
        String rawHost = target.host();
        if (rawHost.isEmpty() || !HOST.matcher(rawHost).matches() && !LOOPBACK.contains(rawHost)) {
            throw new IllegalArgumentException("bad account identifier '" + rawHost + "': expected ORGNAME-ACCOUNTNAME, "
                    + "an account locator, or ACCOUNT.snowflakecomputing.com");
        }
        boolean loopback = LOOPBACK.contains(rawHost);
        String account = options.get("account");
        String host;
        if (loopback || rawHost.contains(".")) {
            host = rawHost;
            if (account == null && !loopback) {
                account = rawHost.substring(0, rawHost.indexOf('.'));
            }
        } else {
            account = account == null ? rawHost : account;
            // Snowflake serves account names with underscores under hyphenated host names.
            host = rawHost.replace('_', '-') + ".snowflakecomputing.com";
        }
        if (account == null || account.isEmpty()) {
            throw new IllegalArgumentException("no account identifier: set the account option for host " + rawHost);
        }
        if (!ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("bad account identifier '" + account + "': expected ORGNAME-ACCOUNTNAME or an "
                    + "account locator such as xy12345 (letters, digits, '-' and '_'), not a URL");
        }
        boolean plainHttp = "off".equalsIgnoreCase(options.getOrDefault("ssl", "on")) || "false".equalsIgnoreCase(options.getOrDefault("ssl", "on"));
        if (plainHttp && !loopback) {
            throw new IllegalArgumentException("ssl=off is accepted only for a test responder on loopback: it would send "
                    + "credentials to " + rawHost + " in clear text");
        }
        String authenticator = options.get("authenticator");
        if (authenticator != null) {
            authenticator = authenticator.toLowerCase(Locale.ROOT);
            if (!AUTHENTICATORS.contains(authenticator)) {
                throw new IllegalArgumentException("authenticator '" + authenticator + "' is not supported; use one of "
                        + String.join(", ", AUTHENTICATORS.stream().sorted().toList()));
            }
        }
        String[] path = path(url);
        String database = options.getOrDefault("database", options.getOrDefault("db", path[0]));
        String schema = options.getOrDefault("schema", path[1]);
        // The URL's user and password as core reads them (also beside an account name with '_'): a '+' stays a '+'.
        String user = target.urlUser().orElse(options.get("user"));
        Map<String, String> driverOptions = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            if (DRIVER_OPTIONS.containsKey(key)) {
                driverOptions.put(DRIVER_OPTIONS.get(key), value);
            }
        });
        return new SnowflakeAddress(account, host, target.portOr(443), plainHttp, blankToNull(database), blankToNull(schema),
                blankToNull(options.get("warehouse")), blankToNull(options.get("role")), blankToNull(user), target.urlPassword().orElse(null),
                authenticator, blankToNull(options.get("private_key_file")), blankToNull(options.get("private_key_pwd_env")),
                driverOptions);
    }

    /** The driver's URL; every setting travels in the connection properties instead. */
    public String jdbcUrl() {
        return "jdbc:snowflake://" + host + ":" + port + "/";
    }

    /** Whether the host name is Snowflake's, so that a DNS failure means a wrong account identifier. */
    public boolean snowflakeHost() {
        return host.toLowerCase(Locale.ROOT).endsWith(".snowflakecomputing.com") || host.toLowerCase(Locale.ROOT).endsWith(".snowflakecomputing.cn");
    }

    /** Never shows the URL password. */
    @Override
    public String toString() {
        return "SnowflakeAddress[account=" + account + ", host=" + host + ", port=" + port + ", database=" + database
                + ", warehouse=" + warehouse + ", role=" + role + ", user=" + user + "]";
    }

    private static String[] path(URI url) {
        String path = url.getPath();
        if (path == null || path.length() <= 1) {
            return new String[] {null, null};
        }
        String[] parts = path.substring(1).split("/", -1);
        return new String[] {parts[0], parts.length > 1 ? parts[1] : null};
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
