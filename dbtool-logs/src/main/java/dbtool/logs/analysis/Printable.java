package dbtool.logs.analysis;

/** Log text as it may be shown: control characters escaped (a log line is server data), long text cut. */
public final class Printable {

    private Printable() {
    }

    public static String of(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= 0x202A && c <= 0x202E)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= max && text.length() > max) {
            out.setLength(max);
            out.append("...");
        }
        return out.toString();
    }
}
