package dbtool.logs.read;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * One input opened for reading: a file (gzip'd or not, by its magic bytes), or standard input for
 * {@code -}. The character set comes from the byte-order mark (UTF-16LE for SQL Server's ERRORLOG,
 * UTF-8 otherwise); malformed bytes read as U+FFFD rather than stopping the read. Counts the bytes
 * read from the file, for progress.
 */
public final class LogInput implements AutoCloseable {

    private final String name;
    private final long size;
    private final CountingStream counter;
    private final InputStream body;
    private final Charset charset;
    private BufferedReader reader;
    private boolean taken;

    private LogInput(String name, long size, CountingStream counter, InputStream body, Charset charset) {
        this.name = name;
        this.size = size;
        this.counter = counter;
        this.body = body;
        this.charset = charset;
    }

    /** Opens {@code argument} (a path, or - for stdin); a missing or unreadable file is exit 66 with one line. */
    public static LogInput open(String argument, InputStream stdin) {
        if (argument.equals("-")) {
            try {
                // never closed: in the dbtool> shell, standard input is the shell's own
                return wrap("stdin", -1, new FilterInputStream(stdin) {
                    @Override
                    public void close() {
                    }
                });
            } catch (IOException e) {
                throw new DbtoolException(ExitCodes.NO_INPUT, "stdin: cannot be read (" + e.getMessage() + ")");
            }
        }
        Path path = Path.of(argument);
        if (Files.isDirectory(path)) {
            throw new DbtoolException(ExitCodes.NO_INPUT, argument + ": is a directory, not a log file");
        }
        try {
            long size = Files.size(path);
            return wrap(argument, size, Files.newInputStream(path));
        } catch (NoSuchFileException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, argument + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, argument + ": permission denied (dbtool reads logs as the user it runs as)");
        } catch (IOException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, argument + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * Opens {@code argument} to be followed as it grows ({@code --follow}); a missing or unreadable file
     * is exit 66 with one line, a gzip'd one (it does not grow) a usage error. Reading it starts with
     * {@link #ofFollowed}, which may wait for the file's first bytes: the caller can stop it by then.
     */
    public static FollowedFile openFollowed(String argument, Duration poll, FollowedFile.Events events) {
        Path path = Path.of(argument);
        if (Files.isDirectory(path)) {
            throw new DbtoolException(ExitCodes.NO_INPUT, argument + ": is a directory, not a log file");
        }
        try (InputStream head = Files.newInputStream(path)) {
            if (head.read() == 0x1f && head.read() == 0x8b) {
                throw DbtoolException.usage("--follow: " + argument + " is gzip'd, a rotated log that no longer grows; follow the live one");
            }
            return new FollowedFile(path, poll, events);
        } catch (NoSuchFileException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, argument + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, argument + ": permission denied (dbtool reads logs as the user it runs as)");
        } catch (IOException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, argument + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The followed file as an input, its character set from its byte-order mark as {@link #open} reads it. */
    public static LogInput ofFollowed(String name, FollowedFile file) throws IOException {
        return wrap(name, -1, file);
    }

    /** Log text already read (from a server, over its session), named for the report. */
    public static LogInput ofText(String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            return wrap(name, bytes.length, new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    private static LogInput wrap(String name, long size, InputStream raw) throws IOException {
        CountingStream counter = new CountingStream(raw);
        BufferedInputStream in = new BufferedInputStream(counter, 1 << 16);
        in.mark(4);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream body = in;
        if (b0 == 0x1f && b1 == 0x8b) {
            body = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        Charset charset = bomCharset(body);
        return new LogInput(name, size, counter, body, charset);
    }

    /** Reads past a byte-order mark and names the character set it announces (UTF-8 without one). */
    private static Charset bomCharset(InputStream in) throws IOException {
        in.mark(3);
        int b0 = in.read();
        int b1 = in.read();
        if (b0 == 0xFF && b1 == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        int b2 = in.read();
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        in.reset();
        return StandardCharsets.UTF_8;
    }

    public String name() {
        return name;
    }

    /** The file's size in bytes, -1 for stdin. */
    public long size() {
        return size;
    }

    /** Bytes read from the file so far (compressed bytes for a gzip'd file). */
    public long bytesRead() {
        return counter.count;
    }

    /** The input as characters, for a reader that parses more than lines (csvlog); one of this and {@link #lines}. */
    public BufferedReader reader() {
        if (reader == null) {
            take();
            var decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            reader = new BufferedReader(new InputStreamReader(body, decoder), 1 << 16);
        }
        return reader;
    }

    /** The input's lines (split on bytes when it is UTF-8); one of this and {@link #reader}. */
    public LineSource lines(LineSource.Warnings warnings) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            take();
            return new LineSource(body, warnings);
        }
        return new LineSource(reader(), warnings);
    }

    private void take() {
        if (taken) {
            throw new IllegalStateException(name + ": already being read");
        }
        taken = true;
    }

    /**
     * The first non-blank line, read ahead and given back: what {@link LogFormat#detect} reads. Looks
     * at the first 64 KiB at most, and stops at the first whole line (a followed file may have no more
     * yet, and a read past it would wait); an empty string when there is none.
     */
    public String firstLine() throws IOException {
        byte[] head = new byte[1 << 16];
        body.mark(head.length);
        int read = 0;
        try {
            int n;
            while (read < head.length && !hasLine(head, read) && (n = body.read(head, read, head.length - read)) > 0) {
                read += n;
            }
        } finally {
            body.reset();
        }
        for (String line : new String(head, 0, read, charset).split("\r?\n")) {
            if (!line.isBlank()) {
                return line;
            }
        }
        return "";
    }

    /** True when the bytes read so far hold a non-blank line ended by a newline (in UTF-16, its low byte). */
    private static boolean hasLine(byte[] head, int length) {
        boolean content = false;
        for (int i = 0; i < length; i++) {
            if (head[i] == '\n' && content) {
                return true;
            }
            content |= head[i] != 0 && !Character.isWhitespace((char) (head[i] & 0xFF));
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        } else {
            body.close();
        }
    }

    private static final class CountingStream extends FilterInputStream {
        volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
