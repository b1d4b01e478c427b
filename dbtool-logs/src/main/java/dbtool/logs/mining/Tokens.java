package dbtool.logs.mining;

/** Token comparisons of the miner: partial wildcards, words, and the common form of two tokens. */
final class Tokens {

    private static final String W = Masker.WILDCARD;

    private Tokens() {
    }

    /** Whether a template token with wildcards inside ({@code rhost=<*>}) matches a message token. */
    static boolean matches(String template, String token) {
        int star = template.indexOf(W);
        if (star < 0) {
            return false;
        }
        if (template.length() == W.length()) {
            return true;
        }
        // a glob match of the literal parts between the wildcards, in order, without allocating
        int first = star;
        if (!token.regionMatches(0, template, 0, first)) {
            return false;
        }
        int at = first;
        int from = star + W.length();
        int next;
        while ((next = template.indexOf(W, from)) >= 0) {
            int found = token.indexOf(template.substring(from, next), at);
            if (found < 0) {
                return false;
            }
            at = found + (next - from);
            from = next + W.length();
        }
        int lastLength = template.length() - from;
        return token.length() - lastLength >= at && token.regionMatches(token.length() - lastLength, template, from, lastLength);
    }

    /**
     * A token that reads as a word: a letter, no digit, no masked part, and no inner dot or slash
     * (a host, class or file name such as {@code com.android.phone} is a value, not a word).
     */
    static boolean isWord(String token) {
        boolean letter = false;
        int last = token.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = token.charAt(i);
            if ((c >= '0' && c <= '9') || ((c == '.' || c == '/') && i > 0 && i < last && Character.isLetter(token.charAt(i + 1)))) {
                return false;
            }
            if (c == '<' && token.startsWith(W, i)) {
                return false;
            }
            letter |= Character.isLetter(c);
        }
        return letter;
    }

    /**
     * The common form of two different tokens: what they share before and after, cut at punctuation,
     * around one wildcard ({@code rhost=1.2.3.4} and {@code rhost=db.example} give {@code rhost=<*>}).
     */
    static String common(String a, String b) {
        int prefix = 0;
        int max = Math.min(a.length(), b.length());
        while (prefix < max && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        prefix = cutPrefix(a, prefix);
        int suffix = 0;
        while (suffix < max - prefix && a.charAt(a.length() - 1 - suffix) == b.charAt(b.length() - 1 - suffix)) {
            suffix++;
        }
        suffix = cutSuffix(a, suffix);
        if (prefix == 0 && suffix == 0) {
            return W;
        }
        String out = a.substring(0, prefix) + W + a.substring(a.length() - suffix);
        out = out.replace(W + W, W);
        // what two different tokens still share around two or more variables is structure, not text
        if (out.indexOf(W) == out.lastIndexOf(W)) {
            return out;
        }
        int lead = 0;
        while (lead < a.length() && lead < b.length() && a.charAt(lead) == b.charAt(lead) && punctuation(a.charAt(lead))) {
            lead++;
        }
        int trail = 0;
        while (trail < a.length() - lead && trail < b.length() - lead
                && a.charAt(a.length() - 1 - trail) == b.charAt(b.length() - 1 - trail) && punctuation(a.charAt(a.length() - 1 - trail))) {
            trail++;
        }
        return a.substring(0, lead) + W + a.substring(a.length() - trail);
    }

    /** Punctuation kept around a wildcard: brackets, quotes, separators; not the wildcard's own characters. */
    private static boolean punctuation(char c) {
        return !Masker.isAlnum(c) && c != '<' && c != '*' && c != '>';
    }

    /** Shortens a common prefix to end just after punctuation, never inside a wildcard. */
    private static int cutPrefix(String s, int length) {
        int open = s.lastIndexOf('<', length - 1);
        if (open >= 0 && s.startsWith(W, open) && open + W.length() > length) {
            length = open;
        }
        while (length > 0 && Masker.isAlnum(s.charAt(length - 1))) {
            length--;
        }
        return length;
    }

    private static int cutSuffix(String s, int length) {
        int start = s.length() - length;
        int open = s.lastIndexOf('<', start);
        if (open >= 0 && open < start && s.startsWith(W, open) && open + W.length() > start) {
            start = open + W.length();
        }
        while (start < s.length() && Masker.isAlnum(s.charAt(start))) {
            start++;
        }
        return s.length() - start;
    }
}
