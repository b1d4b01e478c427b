package dbtool.toolkit.jdbc;

import dbtool.spi.Credentials;
import dbtool.spi.Target;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A target's URL read the same way by every JDBC plugin: the driver URL for host, port and database,
 * the driver properties a user may pass through (URL query, then configured options), and the login
 * from the credential chain. URL parts are decoded by {@link Target#percentDecode}, so a '+' in a
 * password stays a '+' whichever engine it is for.
 */
public final class JdbcTarget {

    private JdbcTarget() {
    }

    /**
     * {@code prefix + host:port/database}: an IPv6 address in brackets, the database percent-encoded
     * (a space as %20, not the form encoding's '+').
     *
     * @param prefix      the driver's URL prefix, e.g. {@code jdbc:mariadb://}
     * @param target      the target, for its host and port
     * @param defaultPort the engine's port when the target names none
     * @param database    the database to connect to
     * @return the JDBC URL, without user, password or parameters
     */
    public static String url(String prefix, Target target, int defaultPort, String database) {
        String host = target.host();
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return prefix + hostPart + ":" + target.portOr(defaultPort) + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The URL's query parameters and then the configured options (which win), without the names in
     * {@code reserved} (lower case, compared case-insensitively): the properties dbtool sets itself,
     * so a URL or configuration cannot weaken them, and dbtool's own target options.
     *
     * @param target   the target, with its URL and configured options
     * @param reserved the property names not to pass through, lower case
     * @return the properties for the driver
     */
    public static Properties passThrough(Target target, Set<String> reserved) {
        Map<String, String> values = new LinkedHashMap<>(target.urlQuery());
        values.putAll(target.settings());
        Properties properties = new Properties();
        values.forEach((key, value) -> {
            if (!reserved.contains(key.toLowerCase(Locale.ROOT))) {
                properties.setProperty(key, value);
            }
        });
        return properties;
    }

    /**
     * Sets {@code user} and {@code password}, first found first: the credential chain's, the URL's
     * user-info, the URL's {@code user}/{@code password} query parameters, then the engine's
     * environment variables (PGUSER, MYSQL_PWD...). Nothing is set when none has one, so a driver
     * may still read its own files (~/.pgpass).
     *
     * @param properties       the driver's properties, to set {@code user} and {@code password} in
     * @param credentials      what the credential chain found
     * @param target           the target, for its URL's user-info and parameters
     * @param userVariable     the engine's environment variable for the user, e.g. {@code PGUSER}
     * @param passwordVariable the engine's environment variable for the password, e.g. {@code MYSQL_PWD}
     */
    public static void login(Properties properties, Credentials credentials, Target target,
                             String userVariable, String passwordVariable) {
        Map<String, String> query = target.urlQuery();
        String user = credentials.user().or(target::urlUser).orElseGet(() ->
                query.getOrDefault("user", System.getenv(userVariable)));
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        String password = credentials.password().map(String::new).or(target::urlPassword).orElseGet(() ->
                query.getOrDefault("password", System.getenv(passwordVariable)));
        if (password != null) {
            properties.setProperty("password", password);
        }
    }
}
