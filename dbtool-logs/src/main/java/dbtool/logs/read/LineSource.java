package dbtool.logs.read;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.ZipException;

/**
 * Lines of one input, made safe to mine: a line longer than {@link #MAX_LINE} characters is cut
 * (with one warning), and an input that ends early (a truncated gzip) ends the lines with one
 * warning instead of losing what was read.
 */
public final class LineSource {

    /** Longer lines are mined on their first megabyte of characters. */
    public static final int MAX_LINE = 1 << 20;

    /** Where one-line warnings about the input go (stderr, through the command). */
    public interface Warnings {
        void warn(String message);
    }

    private final BufferedReader reader;
    private final Warnings warnings;
    private long lines;
    private boolean ended;
    private boolean binaryWarned;

    public LineSource(BufferedReader reader, Warnings warnings) {
        this.reader = reader;
        this.warnings = warnings;
    }

    public String next() throws IOException {
        if (ended) {
            return null;
        }
        String line;
        try {
            line = reader.readLine();
        } catch (EOFException | ZipException e) {
            ended = true;
            warnings.warn("input ends early after line " + lines + " (" + e.getMessage() + "): truncated or corrupt compressed file; the lines before it are read");
            return null;
        }
        if (line == null) {
            ended = true;
            return null;
        }
        lines++;
        if (!binaryWarned && binary(line)) {
            binaryWarned = true;
            warnings.warn("line " + lines + " holds binary data (control characters); read as text, shown escaped");
        }
        if (line.length() > MAX_LINE) {
            warnings.warn("line " + lines + " has " + line.length() + " characters; mined on its first " + MAX_LINE);
            line = line.substring(0, MAX_LINE);
        }
        return line;
    }

    private static boolean binary(String line) {
        for (int i = 0, n = Math.min(line.length(), 4096); i < n; i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c == 0xFFFD) {
                return true;
            }
        }
        return false;
    }

    public long lines() {
        return lines;
    }
}
