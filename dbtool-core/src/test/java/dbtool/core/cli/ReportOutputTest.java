package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --output writes a report whole, and never replaces what is not a regular file. */
class ReportOutputTest {

    @TempDir
    Path dir;

    @Test
    void replacesARegularFileWhole() throws Exception {
        Path report = dir.resolve("report.json");
        Files.writeString(report, "old");
        TroubleshootCommand.writeWhole(report, "{\"status\": \"OK\"}\n");
        assertEquals("{\"status\": \"OK\"}\n", Files.readString(report));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void writesThroughANamedPipeInsteadOfReplacingIt() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        // A thread of its own: on two cores the common pool has one thread, which a blocked task would hold.
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Thread.ofPlatform().daemon()::start);
        TroubleshootCommand.writeWhole(fifo, "through the pipe\n");
        assertEquals("through the pipe\n", reader.get(10, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "the pipe is still a pipe");
    }

    @Test
    void followsASymbolicLink() throws Exception {
        Path real = dir.resolve("real.txt");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real);
        TroubleshootCommand.writeWhole(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }
}
