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
            int authorityEnd = indexOfAny(text, authorityStart, "/?#");
            String authority = text.substring(authorityStart, authorityEnd);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    authority = userInfo.substring(0, colon) + ":****" + authority.substring(at);
                    text = text.substring(0, authorityStart) + authority + text.substring(authorityEnd);
                }
            }
        }
        return SECRET_PARAMETER.matcher(text).replaceAll("$1****");
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
