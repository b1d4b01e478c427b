package dbtool.core.log;

import dbtool.core.Environment;
import dbtool.core.IoErrors;
import dbtool.core.SafeText;
import dbtool.spi.Redaction;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * What dbtool did, for the postmortem: with {@code DBTOOL_LOG=FILE} every command, target,
 * credential method, session and check outcome is appended to FILE, one line each, flushed as it
 * happens (so a killed run still leaves its trail). Off by default.
 *
 * <p>Lines are built only from what is already safe to print (target names, redacted URLs,
 * credential sources, check ids, one-line reasons): never from a password or token. Each line is
 * redacted once more by {@link Redaction} on its way out, in case a reason quotes a target. The file
 * is created readable by its owner only, as it names hosts and users.
 */
public final class RunLog implements AutoCloseable {

    private static final RunLog OFF = new RunLog(null, null);

    private final Path file;
    private volatile Writer writer;
    private final long pid = ProcessHandle.current().pid();

    private RunLog(Path file, Writer writer) {
        this.file = file;
        this.writer = writer;
    }

    /** A log that writes nothing. */
    public static RunLog off() {
        return OFF;
    }

    /**
     * The log {@code DBTOOL_LOG} names, or {@link #off()}. A log that cannot be opened is reported
     * once on {@code warnings} and the run goes on without it: the diagnosis matters more than its log.
     */
    public static RunLog open(Environment environment, PrintStream warnings) {
        return environment.get("DBTOOL_LOG").map(name -> append(name, warnings)).orElse(OFF);
    }

    static RunLog append(String name, PrintStream warnings) {
        try {
            Path file = Path.of(name);
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            // Created owner-only in the same call that opens it: no window in which another user could open it.
            // Only to create it: a FileChannel is closed for good by a write on an interrupted thread,
            // and the shell's thread is interrupted by Ctrl-C just when the log has most to say.
            SeekableByteChannel created = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.newByteChannel(file, options);
            created.close();
            Writer writer = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file.toFile(), true), StandardCharsets.UTF_8));
            return new RunLog(file, writer);
        } catch (IOException | RuntimeException e) {
            warnings.println("dbtool: DBTOOL_LOG: cannot append to " + name + ": " + describe(e)
                    + "; continuing without a run log");
            return OFF;
        }
    }

    public boolean enabled() {
        return writer != null;
    }

    public void info(String message) {
        write("INFO ", message);
    }

    public void warn(String message) {
        write("WARN ", message);
    }

    public void error(String message) {
        write("ERROR", message);
    }

    private synchronized void write(String level, String message) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " [" + pid + "] "
                    + SafeText.oneLine(Redaction.redactSql(Redaction.redactText(message.replaceAll("[\\r\\n]+", " ")))) + System.lineSeparator());
            writer.flush();
        } catch (IOException e) {
            // A full disk must not cost the diagnosis: the log stops, the run goes on.
            System.err.println("dbtool: DBTOOL_LOG: cannot write " + file + " any more: " + describe(e));
            closeQuietly();
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // nothing more to say about a log we are closing
            }
            writer = null;
        }
    }

    private static String describe(Exception e) {
        return IoErrors.describe(e);
    }
}
