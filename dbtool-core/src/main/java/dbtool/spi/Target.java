package dbtool.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A database to diagnose, as the user named it.
 *
 * @param name     the configured name, or the URL without credentials when given as a URL
 * @param url      the URL as given or configured; may carry a user (never printed with a password)
 * @param engine   the plugin id that handles it, e.g. {@code postgresql}
 * @param host     host name or address, may be empty for engine-specific URLs
 * @param port     port, or -1 when the URL does not say (the plugin applies its default)
 * @param database database name, may be empty
 * @param tags     configured tags
 * @param settings connection options from the configuration ({@code "options"} of the target)
 */
public record Target(String name, URI url, String engine, String host, int port, String database,
                     List<String> tags, Map<String, String> settings) {

    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(engine, "engine");
        host = host == null ? "" : host;
        database = database == null ? "" : database;
        tags = tags == null ? List.of() : List.copyOf(tags);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /** The port, or the given default when the URL names none. */
    public int portOr(int defaultPort) {
        return port > 0 ? port : defaultPort;
    }

    /** Never shows the URL, which may carry a password. */
    @Override
    public String toString() {
        return "Target[name=" + name + ", engine=" + engine + ", host=" + host + ", port=" + port
                + ", database=" + database + "]";
    }
}
