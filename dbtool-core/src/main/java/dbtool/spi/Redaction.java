package dbtool.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for showing anything that may hold a credential: a target, a URL, a command line,
 * a message that quotes one. Used wherever a target is shown (report, titles, errors, JSON, the run
 * log, the shell history, the fleet summary), by core and by plugins alike.
 *
 * <p>What looks like a credential is replaced by {@code ****}, whether or not the text is a valid URL:
 * <ul>
 * <li>the password of a user-info, {@code user:PASSWORD@host}, after a scheme ({@code postgresql://}),
 * after a near miss of one ({@code postgresql:/}, {@code //}) or with none at all
 * ({@code u:pw@host/db}); a password may hold {@code @ : / ? #} unencoded;</li>
 * <li>the value of every parameter whose name looks secret ({@code password}, {@code pwd},
 * {@code secret}, {@code token}, {@code private_key}...), in a URL query ({@code ?password=x}), in
 * {@code ;} properties ({@code host;password=x}) and in {@code key=value} strings
 * ({@code host=h password=x}).</li>
 * </ul>
 */
public final class Redaction {

    /** What a hidden value is shown as. */
    public static final String MASK = "****";

    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)((?:^|[?&;,\\s])[^=&;,\\s]*(?:password|passwd|pwd|secret|token|private_?key)[^=&;,\\s]*=)"
                    + "('[^']*'?|\"[^\"]*\"?|[^&;,\\s]*)");
    /** Where a user-info starts when there is no {@code ://}: after {@code scheme:/}, {@code //} or opening quotes. */
    private static final Pattern NEAR_MISS_START = Pattern.compile("^['\"(<]*(?:[A-Za-z][A-Za-z0-9+.-]*:?/+|/+)?");
    private static final Pattern WORD = Pattern.compile("\\S+");

    private Redaction() {
    }

    /** One value as typed or configured (a target, a URL, an argument), which may contain spaces. */
    public static String redact(String value) {
        return redact(value, new ArrayList<>());
    }

    /** Free text (a message, a command line): each word redacted by {@link #redact(String)}. */
    public static String redactText(String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(redact(matcher.group())));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The secrets {@link #redact(String)} hides in a value, to scrub from messages that may quote them. */
    public static List<String> secrets(String value) {
        List<String> secrets = new ArrayList<>();
        redact(value, secrets);
        return secrets.stream().filter(s -> !s.isEmpty() && !s.equals(MASK)).toList();
    }

    private static String redact(String value, List<String> secrets) {
        if (value == null) {
            return null;
        }
        String text = value;
        int start = authorityStart(text);
        int at = userInfoEnd(text, start);
        int colon = text.indexOf(':', start);
        if (at >= 0 && colon >= 0 && colon < at) {
            secrets.add(text.substring(colon + 1, at));
            text = text.substring(0, colon) + ":" + MASK + text.substring(at);
        }
        Matcher matcher = SECRET_PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            secrets.add(matcher.group(2).replaceAll("^['\"]|['\"]$", ""));
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + MASK));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Where the authority (and so a user-info) would start: after {@code ://}, or after a near miss of a scheme. */
    private static int authorityStart(String text) {
        int scheme = text.indexOf("://");
        int at = text.indexOf('@');
        if (scheme >= 0 && (at < 0 || scheme < at)) {
            return scheme + 3;
        }
        Matcher matcher = NEAR_MISS_START.matcher(text);
        return matcher.lookingAt() ? matcher.end() : 0;
    }

    /**
     * The index of the '@' that ends the user-info, or -1 when there is none. A password may hold an
     * unencoded '/', '?' or '#' ({@code user:pa/ss@host}); then that '@' comes after what a URI parser
     * takes for the end of the authority. An authority ending in {@code :digits} (a port) or {@code ]}
     * (an IPv6 address) is a host, and an '@' after it belongs to the path or query. The one reading of
     * where a password ends, shared by redaction and the parsing of target URLs.
     */
    public static int userInfoEnd(String text, int authorityStart) {
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
