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
 * <p>A UTF-8 input is decoded a chunk of whole lines at a time (an ASCII chunk is copied, not
 * decoded) and cut into lines with a vectorised search: no char buffer and no byte-by-byte loop. Lines end at {@code \n}, {@code \r\n} or a lone {@code \r}, as
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
    private String chunk;
    private int chunkPosition;
    private boolean chunkHasReturn;
    private int binaryAt = -1;

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
        if (!binaryWarned && (bytes != null ? binaryAt >= 0 && binaryAt < chunkPosition : binary(line))) {
            binaryWarned = true;
            warnings.warn("line " + lines + " holds binary data (control characters); read as text, shown escaped");
        }
        if (line.length() > MAX_LINE) {
            warnings.warn("line " + lines + " has " + line.length() + " characters; mined on its first " + MAX_LINE);
            line = line.substring(0, MAX_LINE);
        }
        return line;
    }

    /**
     * The next line of the chunk: the bytes up to the last line end read so far, decoded at once (an
     * ASCII chunk is one copy) and searched with {@link String#indexOf(int, int)}, which the JIT
     * vectorises; a chunk never splits a character, as it is cut after a {@code \n}.
     */
    private String readUtf8Line() throws IOException {
        if (chunk == null || chunkPosition >= chunk.length()) {
            if (!nextChunk()) {
                return null;
            }
        }
        int start = chunkPosition;
        int lineFeed = chunk.indexOf('\n', start);
        int end = lineFeed < 0 ? chunk.length() : lineFeed;
        int next = end + 1;
        if (chunkHasReturn) {
            int carriageReturn = chunk.indexOf('\r', start);
            if (carriageReturn >= 0 && carriageReturn < end) {
                end = carriageReturn;
                next = carriageReturn + 1 < chunk.length() && chunk.charAt(carriageReturn + 1) == '\n' ? carriageReturn + 2 : carriageReturn + 1;
            }
        }
        chunkPosition = next;
        return chunk.substring(start, end);
    }

    /** Decodes the bytes up to the last line end in the buffer (reading more as needed); false at the end of the input. */
    private boolean nextChunk() throws IOException {
        int scanned = 0; // bytes after position known to hold no line feed
        while (true) {
            int lastLineFeed = -1;
            for (int i = limit - 1; i >= position + scanned; i--) {
                if (buffer[i] == '\n') {
                    lastLineFeed = i;
                    break;
                }
            }
            if (lastLineFeed >= 0) {
                setChunk(new String(buffer, position, lastLineFeed + 1 - position, StandardCharsets.UTF_8));
                position = lastLineFeed + 1;
                return true;
            }
            scanned = limit - position;
            if (!fill()) {
                if (limit > position) {
                    setChunk(new String(buffer, position, limit - position, StandardCharsets.UTF_8)); // the last line, with no line end
                    position = limit;
                    return true;
                }
                chunk = null;
                return false;
            }
        }
    }

    private void setChunk(String text) {
        chunk = text;
        chunkPosition = 0;
        chunkHasReturn = text.indexOf('\r') >= 0;
        binaryAt = binaryWarned ? -1 : binaryAt(text);
    }

    /**
     * Where the chunk holds binary data, or -1: a NUL, or a byte that is not UTF-8 (read as U+FFFD),
     * which binary garbage shows within its first bytes. Searched a chunk at a time, vectorised, where a
     * check of every character of every line would cost a fifth of the reading.
     */
    private static int binaryAt(String text) {
        int nul = text.indexOf('\0');
        int replacement = text.indexOf('\uFFFD');
        return nul < 0 ? replacement : replacement < 0 ? nul : Math.min(nul, replacement);
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
