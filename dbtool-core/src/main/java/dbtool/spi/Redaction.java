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
 *
 * <p>Statement text that came from a server (pg_stat_statements, pg_stat_activity, SQL Server's
 * dm_exec_sql_text, MongoDB's currentOp, a server log) follows a second rule, {@link #redactSql(String)}:
 * the literal after PASSWORD, IDENTIFIED BY, pwd, SECRET and their kin is masked. {@link Finding},
 * {@link ActiveSession} and {@link QueryPlan} apply it to the text they are given, so no plugin has
 * to remember it.
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

    /**
     * One value as typed or configured (a target, a URL, an argument), which may contain spaces.
     *
     * @param value the value; may be null
     * @return the value with passwords and secret parameters shown as {@code ****}
     */
    public static String redact(String value) {
        return redact(value, new ArrayList<>());
    }

    /**
     * Free text (a message, a command line): each word redacted by {@link #redact(String)}.
     *
     * @param text the text; may be null
     * @return the text with every word's secrets shown as {@code ****}
     */
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

    /**
     * Statement text with every password or secret written in it as a literal replaced by
     * {@value #MASK}, inside its quotes: {@code CREATE ROLE app LOGIN PASSWORD '****'}. Masked are the
     * literals after PASSWORD (ENCRYPTED PASSWORD, DECRYPTION BY PASSWORD, {@code PASSWORD = },
     * {@code PASSWORD('...')}), OLD_PASSWORD, SECRET, IDENTIFIED BY / IDENTIFIED WITH plugin BY|AS /
     * IDENTIFIED VIA plugin USING, T-SQL parameters named like a password ({@code @passwd = N'...'}),
     * MongoDB's {@code "pwd": "..."}, cloud keys (AWS_SECRET_KEY, AZURE_SAS_TOKEN, PRIVATE_KEY) and the
     * password arguments of sp_addlogin and sp_password. Literals may be quoted with ' or " (with an
     * E, N, B, X or U&amp; prefix, doubled quotes or backslash escapes inside), dollar-quoted
     * ({@code $$...$$}, {@code $tag$...$tag$}) or hexadecimal; keywords are matched in any case with
     * white space, new lines and comments between the words. Parameters ({@code password = $1}), column
     * names ({@code password_hash}) and text without such a literal are left as they are. Never throws.
     *
     * @param sql statement text, or any text that may quote one; may be null
     * @return the text with the secrets masked; null for null
     */
    public static String redactSql(String sql) {
        return SqlSecrets.mask(sql);
    }

    /**
     * The secrets {@link #redact(String)} hides in a value, to scrub from messages that may quote them.
     *
     * @param value the value; may be null
     * @return the secrets as they appear in the value; empty for none
     */
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
            if (matcher.group(2).startsWith(MASK)) {
                // Masked already (a message quoting a redacted target): keep what follows, such as a closing quote.
                matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group()));
                continue;
            }
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
     *
     * @param text           a URL or a text holding one
     * @param authorityStart the index where the authority starts (after {@code ://})
     * @return the index of that '@', or -1
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
