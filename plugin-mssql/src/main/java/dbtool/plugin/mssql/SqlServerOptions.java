package dbtool.plugin.mssql;

import dbtool.spi.Target;
import dbtool.spi.TargetConfigurationException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A target's connection options: the URL's query parameters, overridden by the {@code "options"}
 * of its configuration. Names are case-insensitive; a name the plugin does not know is a
 * configuration error rather than something silently ignored.
 */
public final class SqlServerOptions {

    /** Every option a SQL Server target may carry, as documented in docs/sqlserver.md. */
    public static final List<String> KNOWN = List.of("driver", "instance", "browserPort", "domain", "integratedSecurity", "authenticationScheme",
            "ssl", "encrypt", "trustServerCertificate", "hostNameInCertificate", "serverSpn");

    private final String targetName;
    private final Map<String, String> values;

    private SqlServerOptions(String targetName, Map<String, String> values) {
        this.targetName = targetName;
        this.values = values;
    }

    public static SqlServerOptions of(Target target) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = target.url().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("[&;]")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    put(target.name(), values, Target.percentDecode(pair.substring(0, eq)),
                            Target.percentDecode(pair.substring(eq + 1)));
                }
            }
        }
        target.settings().forEach((key, value) -> put(target.name(), values, key, value));
        return new SqlServerOptions(target.name(), values);
    }

    /** For tests and callers that have no Target. */
    static SqlServerOptions of(String targetName, Map<String, String> options) {
        return of(new Target(targetName, URI.create("sqlserver://localhost"), "sqlserver", "localhost", -1, "", List.of(), options));
    }

    private static void put(String targetName, Map<String, String> values, String key, String value) {
        String known = KNOWN.stream().filter(k -> k.equalsIgnoreCase(key.trim())).findFirst()
                .orElseThrow(() -> new TargetConfigurationException("target '" + targetName + "': unknown option '" + key
                        + "' for SQL Server; known options: " + String.join(", ", KNOWN)));
        values.put(known, value == null ? "" : value.trim());
    }

    public String targetName() {
        return targetName;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    /** A true/false option; absent is false. */
    public boolean flag(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new TargetConfigurationException("target '" + targetName + "': options." + name
                    + ": expected true or false, got '" + value + "'");
        };
    }

    /** {@code "browserPort"}: the UDP port SQL Browser answers on, 1434 unless it is forwarded elsewhere. */
    public int browserPort() {
        String value = values.get("browserPort");
        if (value == null || value.isEmpty()) {
            return SqlBrowser.PORT;
        }
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TargetConfigurationException("target '" + targetName + "': options.browserPort: expected a UDP port number "
                + "(1-65535), got '" + value + "'");
    }

    /** {@code "driver"}: jtds (the default) or mssql-jdbc. */
    public DriverKind driver() {
        String value = values.get("driver");
        if (value == null || value.isEmpty()) {
            return DriverKind.JTDS;
        }
        for (DriverKind kind : DriverKind.values()) {
            if (kind.optionValue().equalsIgnoreCase(value)) {
                return kind;
            }
        }
        throw new TargetConfigurationException("target '" + targetName + "': options.driver: expected jtds or mssql-jdbc, got '"
                + value + "'");
    }
}
