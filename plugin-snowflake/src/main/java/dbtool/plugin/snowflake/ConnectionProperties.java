package dbtool.plugin.snowflake;

import dbtool.spi.SessionSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The driver properties of a dbtool session. Unknown keys become Snowflake session parameters at
 * login, which is how QUERY_TAG, the statement and lock timeouts and the result format are set.
 */
public final class ConnectionProperties {

    /**
     * Settings every connection must carry, whatever the target's options say.
     * <ul>
     *   <li>disablePlatformDetection: otherwise the driver probes cloud metadata addresses
     *       (169.254.169.254, metadata.google.internal) at login: a jump host must never do that.</li>
     *   <li>JDBC_QUERY_RESULT_FORMAT=JSON: the default Arrow format needs
     *       {@code --add-opens java.base/java.nio} and fails in a named module inside a plugin layer.</li>
     *   <li>no in-band or out-of-band telemetry: dbtool talks to the account, nothing else.</li>
     *   <li>QUERY_TAG identifies dbtool's statements in QUERY_HISTORY.</li>
     * </ul>
     */
    public static final Map<String, String> REQUIRED = Map.of(
            "disablePlatformDetection", "true",
            "JDBC_QUERY_RESULT_FORMAT", "JSON",
            "CLIENT_TELEMETRY_ENABLED", "false",
            "CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED", "false",
            "htapOOBTelemetryEnabled", "false",
            "QUERY_TAG", "dbtool");

    private ConnectionProperties() {
    }

    public static Properties build(SnowflakeAddress address, Login login, SessionSettings settings) {
        Properties properties = new Properties();
        // Driver options first (proxy, OCSP), so that nothing below can be overridden by them.
        properties.putAll(address.driverOptions());
        properties.setProperty("account", address.account());
        if (login.user() != null) {
            properties.setProperty("user", login.user());
        }
        putIfSet(properties, "warehouse", address.warehouse());
        putIfSet(properties, "role", address.role());
        putIfSet(properties, "db", address.database());
        putIfSet(properties, "schema", address.schema());
        if (address.plainHttp()) {
            properties.setProperty("ssl", "off");
        }
        properties.putAll(login.properties());

        Duration connect = settings.connectTimeout();
        Duration statement = settings.statementTimeout();
        properties.setProperty("application", settings.applicationName());
        // Seconds for the whole login, retries included; milliseconds for one HTTP exchange.
        properties.setProperty("loginTimeout", Long.toString(Math.max(1, connect.toSeconds())));
        properties.setProperty("networkTimeout", Long.toString(statement.plus(connect).toMillis()));
        properties.setProperty("maxHttpRetries", "2");
        // Session parameters: no statement outlives the run, no statement waits long for a lock,
        // and each statement's setQueryTimeout also travels to the server.
        properties.setProperty("STATEMENT_TIMEOUT_IN_SECONDS", Long.toString(Math.max(1, statement.toSeconds())));
        properties.setProperty("LOCK_TIMEOUT", Long.toString(Math.max(1, (settings.lockTimeout().toMillis() + 999) / 1000)));
        properties.setProperty("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
        properties.setProperty("CLIENT_SESSION_KEEP_ALIVE", "false");
        properties.putAll(REQUIRED);
        return properties;
    }

    /** Throws when a required setting is missing or different: the last check before the driver sees them. */
    public static void requireSafe(Properties properties) {
        REQUIRED.forEach((key, value) -> {
            if (!value.equals(String.valueOf(properties.get(key)))) {
                throw new IllegalStateException("refusing to connect: connection property " + key + " must be " + value);
            }
        });
    }

    private static void putIfSet(Properties properties, String key, String value) {
        if (value != null) {
            properties.setProperty(key, value);
        }
    }
}
