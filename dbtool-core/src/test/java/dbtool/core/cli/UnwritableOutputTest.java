package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.StandardOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report that could not be written is an error (74), never a silent "OK". */
class UnwritableOutputTest {

    @TempDir
    Path home;

    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CommandContext context(OutputStream stdout) {
        Environment environment = new Environment(Map.of("XDG_CONFIG_HOME", home.toString()), home, "Linux", null);
        return new CommandContext(environment, StandardOutput.over(stdout, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    /** What writing to /dev/full does. */
    static final class FullDisk extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    @Test
    void aFullDiskExits74WithOneLineSayingWhy() {
        int code = CommandLineInterface.standard().execute(List.of("version"), context(new FullDisk()));
        assertEquals(74, code);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(List.of("dbtool: cannot write to standard output: No space left on device"), stderr.lines().toList());
    }

    @Test
    void aWrittenReportKeepsItsExitCode() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = CommandLineInterface.standard().execute(List.of("version"), context(stdout));
        assertEquals(0, code);
        assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith("dbtool "));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
