package dbtool.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bundle that {@code mvn package} leaves at {@code distribution/target/dbtool}, run through its
 * launcher as a user would: a separate process, module path, plugin layers and all.
 *
 * <p>Each run gets a clean environment: only PATH, HOME pointing to a private folder (so the
 * user's real configuration and plugins never leak in), and what the test adds.
 */
public final class DbtoolBundle {

    private final Path home;
    private final Path userHome;
    private final Map<String, String> environment = new HashMap<>();

    private DbtoolBundle(Path home, Path userHome) {
        this.home = home;
        this.userHome = userHome;
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("HOME", userHome.toString());
        environment.put("XDG_CONFIG_HOME", userHome.resolve(".config").toString());
        String javaHome = System.getProperty("java.home");
        environment.put("JAVA_HOME", javaHome);
        environment.put("LANG", "C.UTF-8");
    }

    /**
     * The bundle under {@code distribution/target/dbtool}, found from the system property
     * {@code dbtool.bundle} or relative to the working directory.
     */
    public static DbtoolBundle locate(Path userHome) {
        String configured = System.getProperty("dbtool.bundle");
        Path home = configured != null ? Path.of(configured) : Path.of("target", "dbtool");
        if (!Files.isExecutable(home.resolve("bin").resolve("dbtool"))) {
            throw new IllegalStateException("no bundle at " + home.toAbsolutePath() + ": run 'mvn package' first");
        }
        return new DbtoolBundle(home.toAbsolutePath(), userHome);
    }

    public Path home() {
        return home;
    }

    public Path userHome() {
        return userHome;
    }

    /** The configuration file this bundle's runs read ({@code $XDG_CONFIG_HOME/dbtool/config.json}). */
    public Path configFile() {
        return userHome.resolve(".config").resolve("dbtool").resolve("config.json");
    }

    /** Sets (or with null, removes) an environment variable for later runs. */
    public DbtoolBundle env(String name, String value) {
        if (value == null) {
            environment.remove(name);
        } else {
            environment.put(name, value);
        }
        return this;
    }

    public ProcessResult run(String... args) {
        return run(null, Duration.ofSeconds(60), args);
    }

    /** Runs {@code bin/dbtool} with the arguments, feeding {@code stdin} when given. */
    public ProcessResult run(String stdin, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("dbtool").toString());
        command.addAll(List.of(args));
        return exec(command, stdin, timeout, environment, userHome);
    }

    /**
     * Runs {@code bin/dbtool} with standard error merged into standard output in the order it was
     * written, as a terminal shows a session (progress lines before the report, the closing line
     * after it): {@link ProcessResult#stdout()} holds both, {@link ProcessResult#stderr()} is empty.
     */
    public ProcessResult runCombined(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("dbtool").toString());
        command.addAll(List.of(args));
        return exec(new ProcessBuilder(command).redirectErrorStream(true), null, timeout, environment, userHome);
    }

    /**
     * Starts {@code bin/dbtool} without waiting, for tests that signal it (the launcher execs the JVM,
     * so {@link Process#destroy()} is a SIGTERM to dbtool itself). Standard output is discarded and
     * standard error goes to {@code stderr}.
     */
    public Process start(Path stderr, String... args) throws IOException {
        return start(null, stderr, args);
    }

    /** As {@link #start(Path, String...)}, with standard output kept in {@code stdout} (discarded when null). */
    public Process start(Path stdout, Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("dbtool").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(userHome.toFile())
                .redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()))
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Runs any command with a given environment and working directory. */
    public static ProcessResult exec(List<String> command, String stdin, Duration timeout, Map<String, String> env, Path workDir) {
        return exec(new ProcessBuilder(command), stdin, timeout, env, workDir);
    }

    private static ProcessResult exec(ProcessBuilder builder, String stdin, Duration timeout, Map<String, String> env, Path workDir) {
        List<String> command = builder.command();
        builder.directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            CompletableFuture<String> out = read(process.getInputStream());
            CompletableFuture<String> err = read(process.getErrorStream());
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + command);
            }
            return new ProcessResult(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drains a process stream on a thread of its own: not the common pool, whose one thread on a two-core
     * machine a test may be holding (a session waiting on a lock), which would leave the output unread forever.
     */
    private static CompletableFuture<String> read(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("dbtool-bundle-output").start(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }
}
