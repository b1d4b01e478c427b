package dbtool.logs.read;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Lines of one input, made safe to mine: a line longer than {@link #MAX_LINE} characters is cut
 * (with one warning), and an input that ends early (a truncated gzip) ends the lines with one
 * warning instead of losing what was read.
 *
 * <p>A UTF-8 input is split into lines on its bytes, and each line decoded once into its string
 * (an ASCII line is copied, not decoded): no char buffer in between, the reading half of the cost
 * of a PostgreSQL log. Lines end at {@code \n}, {@code \r\n} or a lone {@code \r}, as
 * {@link BufferedReader#readLine()} ends them; other character sets are read through a reader.
 */
public final class LineSource {

    /** Longer lines are mined on their first megabyte of characters. */
    public static final int MAX_LINE = 1 << 20;

    /** Where one-line warnings about the input go (stderr, through the command). */
    public interface Warnings {
        void warn(String message);
    }

    private final BufferedReader reader;
    private final InputStream bytes;
    private final Warnings warnings;
    private long lines;
    private boolean ended;
    private boolean binaryWarned;

    private byte[] buffer;
    private int position;
    private int limit;
    private boolean skipLineFeed;

    /** Lines read through a reader, in whatever character set it decodes. */
    public LineSource(BufferedReader reader, Warnings warnings) {
        this.reader = reader;
        this.bytes = null;
        this.warnings = warnings;
    }

    /** Lines of UTF-8 bytes (past any byte-order mark), split without a reader. */
    public LineSource(InputStream utf8, Warnings warnings) {
        this.reader = null;
        this.bytes = utf8;
        this.warnings = warnings;
        this.buffer = new byte[1 << 16];
    }

    public String next() throws IOException {
        if (ended) {
            return null;
        }
        String line;
        try {
            line = bytes != null ? readUtf8Line() : reader.readLine();
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

    private String readUtf8Line() throws IOException {
        int scanned = 0; // bytes after position known to hold no line end
        while (true) {
            if (skipLineFeed) {
                if (position == limit && !fill()) {
                    return null;
                }
                if (buffer[position] == '\n') {
                    position++;
                }
                skipLineFeed = false;
            }
            byte[] b = buffer;
            for (int i = position + scanned; i < limit; i++) {
                byte c = b[i];
                if (c == '\n' || c == '\r') {
                    String line = new String(b, position, i - position, StandardCharsets.UTF_8);
                    position = i + 1;
                    skipLineFeed = c == '\r';
                    return line;
                }
            }
            scanned = limit - position;
            if (!fill()) {
                if (limit > position) {
                    String line = new String(b, position, limit - position, StandardCharsets.UTF_8);
                    position = limit;
                    return line;
                }
                return null;
            }
        }
    }

    /** Reads more bytes after those not yet taken, moving them to the front (or growing the buffer for a long line); false at the end. */
    private boolean fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = bytes.read(buffer, limit, buffer.length - limit);
        if (n <= 0) {
            return false;
        }
        limit += n;
        return true;
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
