package dbtool.change.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL's client programs (pg_dump, pg_restore, psql) of one version, run as processes with
 * the connection in libpq's variables: nothing secret on a command line, where {@code ps} shows it.
 */
public final class PgTools {

    /** A program failed: its name, exit code and last lines of stderr. */
    public static final class ToolFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ToolFailure(String message) {
            super(message);
        }
    }

    private final Path binaries;

    public PgTools(Path binaries) {
        this.binaries = binaries;
    }

    public Path binaries() {
        return binaries;
    }

    /** Runs {@code program} with {@code args}; stdout to {@code output} (or discarded), stderr returned. */
    public String run(String program, List<String> args, Map<String, String> env, Path output, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binaries.resolve(program).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().putAll(env);
        Path errors = Files.createTempFile("dbtool-" + program + "-", ".err");
        try {
            builder.redirectError(errors.toFile());
            builder.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null").toFile()));
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ToolFailure(program + " did not finish within " + timeout.toSeconds() + " s");
            }
            String stderr = Files.readString(errors);
            if (process.exitValue() != 0) {
                throw new ToolFailure(program + " failed (exit " + process.exitValue() + "): " + lastLines(stderr));
            }
            return stderr;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("interrupted while " + program + " ran");
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    static String lastLines(String text) {
        List<String> lines = text.strip().lines().filter(l -> !l.isBlank()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
