package dbtool.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule behind {@link Redaction#redactSql(String)}: finds the places in statement text where a
 * password or secret is written as a literal, and masks the literal. A hand-written scanner after
 * one keyword pattern, so that quoting (doubled quotes, backslash escapes, dollar quotes) is read
 * the way the engines read it and odd text cannot make it backtrack or throw.
 */
final class SqlSecrets {

    /** White space and comments, as they may stand between the words of a statement. */
    static final String GAP = "(?:\\s|/\\*(?:[^*]|\\*(?!/))*\\*/|--[^\\n]*)+";

    /**
     * The words a secret literal follows: PASSWORD (and so ENCRYPTED PASSWORD, DECRYPTION BY
     * PASSWORD, PASSWORD(...)), OLD_PASSWORD, PASSWD, PWD (MongoDB's createUser), SECRET, T-SQL
     * parameters such as {@code @passwd}, cloud keys (AWS_SECRET_KEY, AZURE_SAS_TOKEN,
     * PRIVATE_KEY), IDENTIFIED BY / IDENTIFIED WITH plugin BY|AS / IDENTIFIED VIA plugin USING, and
     * the positional procedures sp_addlogin and sp_password. Only whole words: password_hash is not
     * one.
     */
    private static final Pattern KEYWORD = Pattern.compile("(?i)(?<![\\w$@])(?:"
            + "(?<sp>sp_addlogin|sp_password)"
            + "|@\\w*(?:password|passwd|pwd|secret)"
            + "|(?:\\w+_)?(?:password|passwd|pwd|secret)"
            + "|\\w*(?:secret_key|sas_token|private_key|secret_access_key)"
            + "|identified(?:" + GAP + "(?:with|via)" + GAP + "[\\w'\"`.-]+)?" + GAP + "(?:by|using|as)"
            + ")(?![\\w$])");
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$(?:[A-Za-z_\\x80-\\uffff][\\w\\x80-\\uffff]*)?\\$");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9A-Fa-f]+");
    private static final Pattern NAMED_ARGUMENT = Pattern.compile("@\\w+\\s*=\\s*");
    /** A literal that only shows where a secret goes (a placeholder in dbtool's own advice), or one masked already. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\.*|\\**|<[^<>]*>|\\[[^\\[\\]]*]");
    /** The lower-case starts of the keywords, to pass over text that has none without running the pattern. */
    private static final String[] HINTS = {"pass", "pwd", "secret", "identified", "sp_", "_key", "token"};
    /** A name that says its value is a secret (a column, a key), the keyword pattern's words on their own. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)(?:\\w+_)?(?:password|passwd|pwd|secret)"
            + "|\\w*(?:secret_key|sas_token|private_key|secret_access_key)");

    private SqlSecrets() {
    }

    static String mask(String text) {
        if (text == null || !hinted(text)) {
            return text;
        }
        try {
            return maskAll(InsertedSecrets.mask(text));
        } catch (RuntimeException e) {
            // Never throw on odd text: when the scanner cannot read it, hide everything after the first keyword.
            Matcher keyword = KEYWORD.matcher(text);
            return keyword.find() ? text.substring(0, keyword.end()) + " " + Redaction.MASK : text;
        }
    }

    /** The value with every string in it, at any depth of lists and maps, masked; the same object when nothing changed. */
    static Object maskValue(Object value) {
        if (value instanceof String text) {
            return mask(text);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            boolean changed = false;
            for (Object item : list) {
                Object masked = maskValue(item);
                changed |= masked != item;
                copy.add(masked);
            }
            return changed ? Collections.unmodifiableList(copy) : value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object masked = maskValue(entry.getValue());
                changed |= masked != entry.getValue();
                copy.put(entry.getKey(), masked);
            }
            return changed ? Collections.unmodifiableMap(copy) : value;
        }
        return value;
    }

    private static boolean hinted(String text) {
        for (String hint : HINTS) {
            if (containsIgnoreCase(text, hint)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsIgnoreCase(String text, String lower) {
        int last = text.length() - lower.length();
        char first = lower.charAt(0);
        char firstUpper = Character.toUpperCase(first);
        for (int i = 0; i <= last; i++) {
            char c = text.charAt(i);
            if ((c == first || c == firstUpper) && text.regionMatches(true, i + 1, lower, 1, lower.length() - 1)) {
                return true;
            }
        }
        return false;
    }

    private static String maskAll(String text) {
        Matcher keyword = KEYWORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int from = 0;
        while (from < text.length() && keyword.find(from)) {
            from = keyword.end();
            List<int[]> literals = new ArrayList<>(2);
            if (keyword.group("sp") != null) {
                // sp_addlogin 'login', 'password', ...; sp_password 'old', 'new', 'login'
                boolean both = keyword.group("sp").equalsIgnoreCase("sp_password");
                from = positional(text, keyword.end(), both ? 0 : 1, 1, literals);
            } else {
                int[] literal = literal(text, valueStart(text, keyword.start(), keyword.end()));
                if (literal != null) {
                    literals.add(literal);
                    from = literal[3];
                }
            }
            for (int[] literal : literals) {
                if (isPlaceholder(text, literal)) {
                    continue;
                }
                out.append(text, copied, literal[1]).append(Redaction.MASK);
                copied = literal[2];
            }
        }
        return copied == 0 ? text : out.append(text, copied, text.length()).toString();
    }

    /** Whether a name (a column's, a key's) says its value is a secret: password, user_pwd, aws_secret_key. */
    static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** Whether the literal only shows where a secret goes, or is masked already. */
    static boolean isPlaceholder(String text, int[] literal) {
        return PLACEHOLDER.matcher(text.subSequence(literal[1], literal[2])).matches();
    }

    /**
     * Where the value after a keyword starts: past white space and comments, the closing quote of a
     * quoted key ({@code "pwd": ...}), an operator ({@code =}, {@code :}, {@code =>}) and a
     * function call around the literal ({@code PASSWORD('...')}).
     */
    private static int valueStart(String text, int keywordStart, int keywordEnd) {
        int i = skipGap(text, keywordEnd);
        if (keywordStart > 0 && i < text.length() && text.charAt(i) == text.charAt(keywordStart - 1)
                && "\"'`".indexOf(text.charAt(i)) >= 0) {
            i = skipGap(text, i + 1);
        }
        if (text.startsWith("=>", i) || text.startsWith(":=", i)) {
            i = skipGap(text, i + 2);
        } else if (i < text.length() && (text.charAt(i) == '=' || text.charAt(i) == ':')) {
            i = skipGap(text, i + 1);
        }
        int call = i;
        if (text.regionMatches(true, call, "password", 0, 8)) {
            call = skipGap(text, call + 8);
        }
        if (call < text.length() && text.charAt(call) == '(') {
            i = skipGap(text, call + 1);
        }
        return i;
    }

    /** The arguments of a procedure called with positional arguments: the literals from {@code first} to {@code last} are secrets. */
    private static int positional(String text, int from, int first, int last, List<int[]> literals) {
        int i = from;
        for (int argument = 0; argument <= last && i < text.length(); argument++) {
            i = skipGap(text, i);
            Matcher named = NAMED_ARGUMENT.matcher(text).region(i, text.length());
            if (named.lookingAt()) {
                i = named.end();
            }
            int[] literal = literal(text, i);
            if (literal != null) {
                if (argument >= first) {
                    literals.add(literal);
                }
                i = literal[3];
            } else {
                while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != ';' && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
            }
            i = skipGap(text, i);
            if (i >= text.length() || text.charAt(i) != ',') {
                return i;
            }
            i++;
        }
        return i;
    }

    /**
     * The literal at {@code i}: {start, content start, content end, end}, or null when none starts
     * there. Quoted with ' or " (an E, N, B, X or U&amp; prefix allowed; doubled quotes and
     * backslash escapes inside), dollar-quoted ($$...$$, $tag$...$tag$), or hexadecimal (0x...). An
     * unterminated literal runs to the end of the text.
     */
    static int[] literal(String text, int i) {
        int n = text.length();
        if (i >= n) {
            return null;
        }
        int quote = i;
        if (text.regionMatches(true, i, "U&", 0, 2)) {
            quote = i + 2;
        } else if ("EeNnBbXx".indexOf(text.charAt(i)) >= 0 && i + 1 < n && text.charAt(i + 1) == '\'') {
            quote = i + 1;
        }
        if (quote < n && (text.charAt(quote) == '\'' || text.charAt(quote) == '"')) {
            char q = text.charAt(quote);
            int j = quote + 1;
            while (j < n) {
                char c = text.charAt(j);
                if (c == '\\') {
                    j += 2;
                } else if (c == q && j + 1 < n && text.charAt(j + 1) == q) {
                    j += 2;
                } else if (c == q) {
                    return new int[] {i, quote + 1, j, j + 1};
                } else {
                    j++;
                }
            }
            return new int[] {i, quote + 1, n, n};
        }
        Matcher tag = DOLLAR_TAG.matcher(text).region(i, n);
        if (tag.lookingAt()) {
            int close = text.indexOf(tag.group(), tag.end());
            return close < 0 ? new int[] {i, tag.end(), n, n} : new int[] {i, tag.end(), close, close + tag.group().length()};
        }
        Matcher hex = HEX.matcher(text).region(i, n);
        if (hex.lookingAt()) {
            return new int[] {i, i, hex.end(), hex.end()};
        }
        return null;
    }

    static int skipGap(String text, int from) {
        int i = from;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i + 2);
                i = end < 0 ? n : end + 1;
            } else {
                break;
            }
        }
        return i;
    }
}
