package dbtool.core;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Optional;

/**
 * Standard output that remembers why a write failed. {@link PrintStream} swallows write errors
 * (a full disk, a closed descriptor, a reader that went away) and only answers
 * {@link PrintStream#checkError()}; a monitoring wrapper must not read "OK" from a report that
 * never arrived, so the command line asks after each command and exits 74 with the reason.
 */
public final class StandardOutput extends PrintStream {

    private final Recording recording;

    private StandardOutput(Recording recording, Charset charset) {
        super(new BufferedOutputStream(recording, 8192), true, charset);
        this.recording = recording;
    }

    /** Standard output of this process, in the encoding the JVM chose for it. */
    public static StandardOutput system() {
        Charset charset;
        try {
            charset = Charset.forName(System.getProperty("stdout.encoding", Charset.defaultCharset().name()));
        } catch (RuntimeException e) {
            charset = Charset.defaultCharset();
        }
        return new StandardOutput(new Recording(new FileOutputStream(FileDescriptor.out)), charset);
    }

    /** A stream over {@code out} (tests: an output that fails). */
    public static StandardOutput over(OutputStream out, Charset charset) {
        return new StandardOutput(new Recording(out), charset);
    }

    /** Why writing failed, when it did (flushes first, so a pending failure is seen). */
    public Optional<String> failure() {
        if (!checkError()) {
            return Optional.empty();
        }
        IOException e = recording.failure;
        return Optional.of(e == null || e.getMessage() == null ? "write failed" : e.getMessage());
    }

    private static final class Recording extends FilterOutputStream {
        private volatile IOException failure;

        Recording(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        private void record(IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }
}
