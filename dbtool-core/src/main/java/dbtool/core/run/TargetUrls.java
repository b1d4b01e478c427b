package dbtool.core.run;

import dbtool.core.DbtoolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parsing and redacting of target URLs such as {@code postgresql://user@host:5432/db?sslmode=require}. */
public final class TargetUrls {

    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)((?:^|[?&;])[^=&;]*(?:password|passwd|pwd|secret|token|private_?key)[^=&;]*=)[^&;]*");

    private TargetUrls() {
    }

    /** Whether the argument looks like a URL rather than a configured target name. */
    public static boolean isUrl(String text) {
        return text.contains("://");
    }

    /** Parses a URL, or fails with a usage error that shows the URL without its secrets. */
    public static URI parse(String text) {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null) {
                throw new URISyntaxException(text, "missing scheme");
            }
            if (host(uri).isEmpty()) {
                throw new URISyntaxException(text, "missing host");
            }
            String trimmed = text.trim();
            int authorityStart = trimmed.indexOf("://") + 3;
            if (userInfoEnd(trimmed, authorityStart) > indexOfAny(trimmed, authorityStart, "/?#")) {
                // e.g. user:pa/ss@host: a URI parser would take "user:pa" for the host
                throw new URISyntaxException(text, "a '/', '?' or '#' in the password must be percent-encoded (%2F, %3F, %23)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw DbtoolException.usage("not a valid URL: '" + redact(text) + "' (" + e.getReason()
                    + "); expected e.g. postgresql://host:5432/db");
        }
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

    /**
     * The URL as it may be shown: the password of the user-info and secret-looking query
     * parameters replaced by {@code ****}. Works on text that is not a valid URI too.
     */
    public static String redact(String url) {
        String text = url;
        int schemeEnd = text.indexOf("://");
        if (schemeEnd >= 0) {
            int authorityStart = schemeEnd + 3;
            int at = userInfoEnd(text, authorityStart);
            int colon = text.indexOf(':', authorityStart);
            if (at >= 0 && colon >= 0 && colon < at) {
                text = text.substring(0, colon) + ":****" + text.substring(at);
            }
        }
        return SECRET_PARAMETER.matcher(text).replaceAll("$1****");
    }

    /**
     * The index of the '@' that ends the user-info, or -1 when there is none. A password may hold an
     * unencoded '/', '?' or '#' ({@code user:pa/ss@host}); then that '@' comes after what a URI parser
     * takes for the end of the authority. An authority ending in {@code :digits} (a port) or {@code ]}
     * (an IPv6 address) is a host.
     */
    private static int userInfoEnd(String text, int authorityStart) {
        int authorityEnd = indexOfAny(text, authorityStart, "/?#");
        int at = text.lastIndexOf('@', authorityEnd - 1);
        if (at >= authorityStart) {
            return at;
        }
        String authority = text.substring(authorityStart, authorityEnd);
        int colon = authority.lastIndexOf(':');
        int next = text.indexOf('@', authorityEnd);
        if (colon < 0 || next < 0 || authority.endsWith("]")
                || authority.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return text.lastIndexOf('@', indexOfAny(text, next, "/?#") - 1);
    }

    private static int indexOfAny(String text, int from, String characters) {
        for (int i = from; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
