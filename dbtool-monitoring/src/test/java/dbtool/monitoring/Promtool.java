package dbtool.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the machine's promtool (Debian's prometheus package; scripts/env.sh installs it). */
public record Promtool(int exitCode, String output) {

    public static Promtool run(Path directory, String... args) throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            throw new IllegalStateException("no /usr/bin/promtool: install Debian's prometheus package (scripts/env.sh does)");
        }
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("promtool " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Promtool(process.exitValue(), output);
    }
}
