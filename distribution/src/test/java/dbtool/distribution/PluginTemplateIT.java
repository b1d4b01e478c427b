package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.PluginRun;
import dbtool.testkit.ProcessResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'dbtool plugins new' as a platform team uses it: the bundle writes the project, Maven builds it
 * against this build's dbtool-core and testkit (published into a repository of their own, as a
 * release would publish them) and runs its test through dbtool's runner, and the plugin folder it
 * leaves loads in the bundle and diagnoses a server on loopback.
 */
class PluginTemplateIT {

    @TempDir
    Path work;

    @Test
    void aNewPluginProjectBuildsTestsAndLoadsInTheBundle() throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(Files.createDirectories(work.resolve("home")));
        Path project = work.resolve("dbtool-acme-plugin");
        ProcessResult created = bundle.run("plugins", "new", "acme", "--directory", project.toString());
        assertEquals(0, created.exitCode(), created.describe());
        assertTrue(created.stdout().contains("Created " + project) && created.stdout().contains("mvn verify"), created.stdout());

        ProcessResult again = bundle.run("plugins", "new", "acme", "--directory", project.toString());
        assertEquals(73, again.exitCode(), "never over an existing folder: " + again.describe());

        Path repository = publishThisBuild(work.resolve("repository"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        ProcessResult build = DbtoolBundle.exec(List.of(Path.of("..", "mvnw").toAbsolutePath().normalize().toString(),
                        "-B", "-ntp", "-o", "-Dmaven.repo.local=" + repository, "-Dmaven.repo.local.tail=" + mavenRepository(),
                        "verify"),
                null, Duration.ofMinutes(5), env, project);
        assertEquals(0, build.exitCode(), build.describe());
        assertTrue(build.stdout().contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), "its test ran: " + build.stdout());

        Path folder = project.resolve("target/plugin/acme");
        List<String> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("dbtool-acme-plugin-0.1.0-SNAPSHOT.jar"), jars, "its jar and no dbtool-core");
        try (JarFile jar = new JarFile(folder.resolve(jars.getFirst()).toFile())) {
            assertEquals("acme", jar.getManifest().getMainAttributes().getValue("Dbtool-Engine"));
        }

        DbtoolBundle withPlugin = bundle.env("DBTOOL_PLUGIN_PATH", project.resolve("target/plugin").toString());
        ProcessResult plugins = withPlugin.run("plugins");
        assertTrue(plugins.stdout().lines().anyMatch(l -> l.startsWith("acme ") && l.contains(" ok ")), plugins.stdout());
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProcessResult run = withPlugin.run("troubleshoot", "acme://127.0.0.1:" + server.getLocalPort() + "/app");
            assertEquals(0, run.exitCode(), run.describe());
            assertFalse(run.stdout().contains("ACME_UNREACHABLE"), run.stdout());
        }
    }

    /**
     * A Maven repository holding this build's dbtool-parent, dbtool-core and testkit, laid out as
     * 'mvn install' would lay them out, so the generated pom resolves them as it would a release.
     */
    private static Path publishThisBuild(Path repository) throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String version = version(root.resolve("dbtool-core/target/classes/dbtool/core/version.properties"));
        publish(repository, "dbtool-parent", version, root.resolve("pom.xml"), null);
        publish(repository, "dbtool-core", version, root.resolve("dbtool-core/pom.xml"), jarOf(dbtool.spi.EnginePlugin.class, repository));
        publish(repository, "testkit", version, root.resolve("testkit/pom.xml"), jarOf(PluginRun.class, repository));
        return repository;
    }

    private static void publish(Path repository, String artifact, String version, Path pom, Path jar) throws IOException {
        Path folder = Files.createDirectories(repository.resolve("dev/dbtool").resolve(artifact).resolve(version));
        Files.copy(pom, folder.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) {
            Files.copy(jar, folder.resolve(artifact + "-" + version + ".jar"));
        }
    }

    private static String version(Path properties) throws IOException {
        return Files.readAllLines(properties).stream().filter(l -> l.startsWith("version="))
                .map(l -> l.substring("version=".length())).findFirst().orElseThrow();
    }

    /** The jar a class came from; when it is a classes folder (an IDE run), a jar made of it. */
    private static Path jarOf(Class<?> type, Path scratch) throws IOException {
        Path location;
        try {
            location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isRegularFile(location)) {
            return location;
        }
        Path jar = Files.createDirectories(scratch.resolve("scratch")).resolve(type.getModule().getName() + ".jar");
        StringWriter out = new StringWriter();
        int code = ToolProvider.findFirst("jar").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "--create", "--file", jar.toString(), "-C", location.toString(), ".");
        assertEquals(0, code, out.toString());
        return jar;
    }

    /** The local Maven repository this build resolved its dependencies from (read-only here). */
    private static Path mavenRepository() {
        try {
            Path gson = Path.of(Gson.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // .../com/google/code/gson/gson/VERSION/gson-VERSION.jar
            return gson.getParent().getParent().getParent().getParent().getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
