package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.spi.Redaction;
import dbtool.spi.Target;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of target URLs (shown only through {@link Redaction}) such as {@code postgresql://user@host:5432/db?sslmode=require}. */
public final class TargetUrls {

    private static final Pattern AUTHORITY_END = Pattern.compile("[/?#]");

    private TargetUrls() {
    }

    /** Whether the argument looks like a URL rather than a configured target name. */
    public static boolean isUrl(String text) {
        return text.contains("://");
    }

    /**
     * Parses a URL strictly, or fails with a usage error that shows the URL without its secrets. The
     * host part is read here, not by {@link URI}, which gives up on host names with an underscore or
     * non-ASCII letters (and then loses their port): one host or a comma-separated list of hosts,
     * each {@code name}, {@code [IPv6]} or either with {@code :port} (1-65535). A host with ';', '='
     * or a space is refused, and the message shows nothing after it: {@code host;user=u;password=x}
     * puts connection properties, a password among them, where the host belongs.
     */
    public static URI parse(String text) {
        String trimmed = text.trim();
        int schemeEnd = trimmed.indexOf("://");
        if (schemeEnd <= 0) {
            throw invalid(trimmed, "missing scheme");
        }
        int authorityStart = schemeEnd + 3;
        int at = Redaction.userInfoEnd(trimmed, authorityStart);
        int hostStart = at >= 0 ? at + 1 : authorityStart;
        int hostEnd = authorityEnd(trimmed, hostStart);
        for (int i = hostStart; i < hostEnd; i++) {
            char c = trimmed.charAt(i);
            if (c == ';' || c == '=' || Character.isWhitespace(c)) {
                throw DbtoolException.usage("not a valid URL: '" + Redaction.redact(trimmed.substring(0, i)) + "...' (a host name cannot contain"
                        + " ';', '=' or spaces; connection settings go in the query, ?name=value, or the target's \"options\");"
                        + " expected e.g. postgresql://host:5432/db");
            }
        }
        if (at >= 0 && at > authorityEnd(trimmed, authorityStart)) {
            // e.g. user:pa/ss@host: a URI parser would take "user:pa" for the host
            throw invalid(trimmed, "a '/', '?' or '#' in the password must be percent-encoded (%2F, %3F, %23)");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw invalid(trimmed, e.getReason());
        }
        hosts(uri, trimmed);
        return uri;
    }

    /** Where the authority ends: the first '/', '?' or '#' from {@code from}, else the end. */
    private static int authorityEnd(String text, int from) {
        Matcher matcher = AUTHORITY_END.matcher(text);
        return matcher.find(from) ? matcher.start() : text.length();
    }

    private static DbtoolException invalid(String text, String reason) {
        return DbtoolException.usage("not a valid URL: '" + Redaction.redact(text) + "' (" + reason
                + "); expected e.g. postgresql://host:5432/db");
    }

    /** A host and its port, -1 when the URL names none. */
    private record Address(String host, int port) {
    }

    /** The hosts of the authority, each checked; {@code shown} is the URL as given, for messages. */
    private static List<Address> hosts(URI uri, String shown) {
        String authority = uri.getRawAuthority();
        String hostList = authority == null ? "" : authority.substring(authority.lastIndexOf('@') + 1);
        List<Address> addresses = new ArrayList<>();
        for (String part : hostList.split(",", -1)) {
            addresses.add(address(part, shown));
        }
        return addresses;
    }

    private static Address address(String part, String shown) {
        String host;
        String port = null;
        if (part.startsWith("[")) {
            int close = part.indexOf(']');
            if (close < 0 || (close + 1 < part.length() && part.charAt(close + 1) != ':')) {
                throw invalid(shown, "an IPv6 address goes in brackets, optionally followed by :port, e.g. [::1]:5432");
            }
            host = part.substring(0, close + 1);
            port = close + 1 < part.length() ? part.substring(close + 2) : null;
        } else {
            int colon = part.indexOf(':');
            if (colon >= 0 && part.indexOf(':', colon + 1) >= 0) {
                throw invalid(shown, "an IPv6 address goes in brackets, e.g. [::1]:5432");
            }
            host = colon >= 0 ? part.substring(0, colon) : part;
            port = colon >= 0 ? part.substring(colon + 1) : null;
            if (host.isEmpty()) {
                throw invalid(shown, "missing host");
            }
            int bad = host.codePoints().filter(c -> !Character.isLetterOrDigit(c) && c != '-' && c != '.' && c != '_')
                    .findFirst().orElse(-1);
            if (bad >= 0) {
                throw invalid(shown, "a host name cannot contain '" + Character.toString(bad) + "'");
            }
            if (!host.chars().allMatch(c -> c < 128)) {
                try {
                    // An internationalised name is looked up by its ASCII form (xn--...), as browsers do.
                    host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
                } catch (IllegalArgumentException e) {
                    throw invalid(shown, "not a valid internationalised host name");
                }
            }
        }
        return new Address(host, port == null ? -1 : port(port, shown));
    }

    private static int port(String text, String shown) {
        if (text.matches("[0-9]{1,5}")) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw invalid(shown, "port '" + text + "': a port is a number from 1 to 65535");
    }

    /**
     * The target for a parsed URL: host and port read as {@link #parse} reads them. For a list of hosts
     * (a MongoDB seed list) the host is the list as given and the port -1.
     */
    public static Target target(String name, URI uri, String engine, List<String> tags, Map<String, String> settings) {
        List<Address> addresses = hosts(uri, uri.toString());
        Address first = addresses.getFirst();
        String host = addresses.size() == 1 ? first.host() : host(uri);
        int port = addresses.size() == 1 ? first.port() : -1;
        return new Target(name, uri, engine, host, port, database(uri), tags, settings);
    }

    public static String scheme(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** Host part; for multi-host authorities (e.g. MongoDB seed lists) the raw host list. */
    public static String host(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return "";
        }
        int at = authority.lastIndexOf('@');
        return at >= 0 ? authority.substring(at + 1) : authority;
    }

    /** The first path segment: the database name by convention. */
    public static String database(URI uri) {
        String path = uri.getPath();
        if (path == null || path.length() <= 1) {
            return "";
        }
        String first = path.substring(1);
        int slash = first.indexOf('/');
        return slash >= 0 ? first.substring(0, slash) : first;
    }
}
