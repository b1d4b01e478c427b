package dbtool.spi;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

    /** A target; null host, database, tags and settings become empty, and the collections are copied. */
    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(engine, "engine");
        host = host == null ? "" : host;
        database = database == null ? "" : database;
        tags = tags == null ? List.of() : List.copyOf(tags);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /**
     * The port to connect to.
     *
     * @param defaultPort the engine's default port
     * @return the URL's port, or {@code defaultPort} when the URL names none
     */
    public int portOr(int defaultPort) {
        return port > 0 ? port : defaultPort;
    }

    /**
     * The user of the URL's user-info ({@code user:password@host}).
     *
     * @return the user, percent-decoded, or empty
     */
    public Optional<String> urlUser() {
        return userInfo(0);
    }

    /**
     * The password of the URL's user-info, percent-decoded (a '+' stays a '+', as in libpq), or empty.
     * The password may also hold an unencoded '@' or ':'. Never to be shown.
     *
     * @return the password, or empty
     */
    public Optional<String> urlPassword() {
        return userInfo(1);
    }

    private Optional<String> userInfo(int part) {
        String authority = url.getRawAuthority();
        int at = authority == null ? -1 : Redaction.userInfoEnd(authority, 0);
        if (at < 0) {
            return Optional.empty();
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        String value = part == 0 ? (colon < 0 ? userInfo : userInfo.substring(0, colon))
                : (colon < 0 ? null : userInfo.substring(colon + 1));
        return Optional.ofNullable(value).filter(v -> !v.isEmpty()).map(Target::percentDecode);
    }

    /**
     * The URL's query parameters ({@code ?name=value&...}), names and values percent-decoded like
     * {@link #urlPassword()}, in their order; a repeated name keeps its last value. A parameter may
     * hold a secret ({@code password=}): never show its value.
     *
     * @return the parameters by name, in the URL's order; empty for none
     */
    public Map<String, String> urlQuery() {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = url.getRawQuery();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(percentDecode(pair.substring(0, eq)), percentDecode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    /**
     * Decodes one part of a target URL as RFC 3986 says and libpq, the MongoDB drivers and the Vault
     * CLI read it: each {@code %XX} is a byte of UTF-8, everything else stays as written. Unlike
     * {@link java.net.URLDecoder} (HTML form decoding) a '+' stays a '+', so a password such as
     * {@code a+b} reaches the server unchanged. The one decoder every plugin uses for URL parts.
     *
     * @param text a part of a URL as written
     * @return the decoded text
     */
    public static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && HexFormat.isHexDigit(text.charAt(i + 1)) && HexFormat.isHexDigit(text.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Never shows the URL, which may carry a password. */
    @Override
    public String toString() {
        return "Target[name=" + name + ", engine=" + engine + ", host=" + host + ", port=" + port
                + ", database=" + database + "]";
    }
}
