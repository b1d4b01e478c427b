package dbtool.core;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule for text that dbtool did not write itself (query texts, role, database, application
 * and client names, driver and server messages, configuration values) on its way to a terminal:
 * control characters are shown, not obeyed. A database user who names a session
 * "ESC [2J all OK" must not be able to clear the on-call engineer's screen.
 *
 * <p>Escaped: C0 controls ({@code ESC} as {@code \e}, {@code CR} as {@code \r}, the others as
 * a backslash, {@code u} and four hex digits), {@code DEL}, the C1 controls (U+0080 to U+009F, of which U+009B starts a
 * control sequence on some terminals), and the bidirectional overrides that reorder what is shown
 * (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C). Tabs and line feeds are kept by
 * {@link #escape} (multi-line details), and shown as {@code \t}/{@code \n} by {@link #oneLine}.
 * Backslashes are left alone: the output is for reading, not for parsing back.
 *
 * <p>Used by the text renderers (before dbtool adds its own colours), by {@link #printStream}
 * around standard error and around the standard output of every command, and by the run log.
 * JSON output escapes by JSON's rules instead.
 */
public final class SafeText {

    private SafeText() {
    }

    /** Control characters shown visibly; line feeds and tabs are kept. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /** Control characters shown visibly, line feeds and tabs included: the text stays on one line. */
    public static String oneLine(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean oneLine) {
        if (text == null) {
            return null;
        }
        int first = 0;
        while (first < text.length() && !needsEscape(text, first, oneLine)) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(text, i, oneLine)) {
                out.append(c);
            } else {
                out.append(switch (c) {
                    case '\u001b' -> "\\e";
                    case '\r' -> "\\r";
                    case '\n' -> "\\n";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", (int) c);
                });
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(String text, int i, boolean oneLine) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\t') {
            return oneLine;
        }
        if (c == '\r') {
            // A Windows line end stays a line end where line feeds are kept.
            return oneLine || i + 1 >= text.length() || text.charAt(i + 1) != '\n';
        }
        return isControl(c);
    }

    /** Whether a terminal could act on this character instead of showing it. */
    static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f
                || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
    }

    /**
     * A value of a report (String, Number, Boolean, List, Map, null) with every string in it, map
     * keys included, passed through {@link #escape}.
     */
    public static Object escapeValue(Object value) {
        if (value instanceof String text) {
            return escape(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(oneLine(String.valueOf(k)), escapeValue(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(escapeValue(v)));
            return copy;
        }
        return value;
    }

    /**
     * A print stream that passes everything printed as text ({@code print}, {@code println},
     * {@code printf}, {@code append}) through {@link #escape} on its way to {@code out}. Bytes
     * written with {@code write} pass unchanged.
     */
    public static PrintStream printStream(PrintStream out, Charset charset) {
        return out instanceof Escaping ? out : new Escaping(out, charset);
    }

    private static final class Escaping extends PrintStream {
        private final PrintStream target;

        Escaping(PrintStream target, Charset charset) {
            super((OutputStream) target, true, charset);
            this.target = target;
        }

        @Override
        public void print(String s) {
            super.print(escape(String.valueOf(s)));
        }

        @Override
        public void print(Object obj) {
            print(String.valueOf(obj));
        }

        @Override
        public void print(char[] s) {
            print(new String(s));
        }

        @Override
        public void print(char c) {
            print(String.valueOf(c));
        }

        @Override
        public void println(String x) {
            synchronized (this) {
                print(x);
                println();
            }
        }

        @Override
        public void println(Object x) {
            println(String.valueOf(x));
        }

        @Override
        public void println(char[] x) {
            println(new String(x));
        }

        @Override
        public void println(char x) {
            println(String.valueOf(x));
        }

        @Override
        public boolean checkError() {
            return super.checkError() || target.checkError();
        }
    }
}
