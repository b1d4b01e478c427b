package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.spi.EnginePlugin;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a jump host receives it: checksums verify, it unpacks to a path with a
 * space, runs with an empty environment (no JAVA_HOME, no java on PATH) from another folder, has
 * only the JDK modules it needs, and takes a third-party plugin built against dbtool-core alone.
 */
class BundleArchiveIT {

    static final Set<String> EXPECTED_MODULES = Set.of(
            "com.google.gson", "dbtool.change", "dbtool.core", "dbtool.logs", "dbtool.monitoring", "dbtool.serve", "dbtool.top", "java.base", "java.logging", "java.management", "java.naming", "java.net.http",
            "java.rmi", "java.security.jgss", "java.security.sasl", "java.sql", "java.transaction.xa", "java.xml", "jdk.charsets",
            "jdk.httpserver", "jdk.jfr", "jdk.naming.dns", "jdk.net", "jdk.security.auth", "jdk.security.jgss", "jdk.unsupported", "org.apache.commons.cli", "org.apache.commons.codec", "org.apache.commons.csv", "org.apache.commons.io",
            "org.jline.nativ", "org.jline.reader", "org.jline.terminal", "org.jline.terminal.ffm",
            // dbtool serve's metrics: automatic modules given descriptors at build time (PackageBundle.explicitModules)
            "io.prometheus.metrics.config", "io.prometheus.metrics.model", "io.prometheus.writer.text",
            // triage's email: Jakarta Mail and Eclipse Angus, whose mail module requires java.desktop (and it java.datatransfer, java.prefs)
            "dbtool.triage", "jakarta.mail", "jakarta.activation", "org.eclipse.angus.mail", "org.eclipse.angus.activation", "java.desktop",
            "java.datatransfer", "java.prefs");

    @TempDir
    static Path work;
    static Path home;
    static Path tools;
    static LocalCluster cluster;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("dbtool.archive"));
        verifyChecksum(archive);
        Path parent = Files.createDirectories(work.resolve("jump host"));
        ProcessResult untar = DbtoolBundle.exec(List.of("tar", "xzf", archive.toString(), "-C", parent.toString()),
                null, Duration.ofSeconds(60), Map.of("PATH", "/usr/bin:/bin"), work);
        assertEquals(0, untar.exitCode(), untar.describe());
        try (Stream<Path> entries = Files.list(parent)) {
            home = entries.findFirst().orElseThrow();
        }
        // A PATH with only what the launcher itself uses: no java anywhere on it.
        tools = Files.createDirectories(work.resolve("tools"));
        for (String tool : List.of("sed", "ls", "dirname")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool));
        }
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        // Remove the tool links ourselves: JUnit warns about links that point outside its temp dir.
        for (String tool : List.of("sed", "ls", "dirname")) {
            Files.deleteIfExists(tools.resolve(tool));
        }
    }

    @Test
    void runsWithAnEmptyEnvironmentFromAnotherFolder() throws Exception {
        ProcessResult version = run("--version");
        assertEquals(0, version.exitCode(), version.describe());
        assertTrue(version.stdout().startsWith("dbtool ") && version.stdout().contains("Java 25"), version.stdout());
        assertEquals(1, version.stdout().lines().count(), "nothing but the version on stdout: " + version.stdout());

        ProcessResult plugins = run("plugins");
        assertEquals(0, plugins.exitCode(), plugins.describe());
        assertTrue(plugins.stdout().contains("postgresql  ok"), plugins.stdout());

        ProcessResult checks = run("checks", "postgresql");
        assertTrue(checks.stdout().contains("blocking"), checks.stdout());

        ProcessResult troubleshoot = run("troubleshoot", cluster.url("postgres"), "--format", "json");
        assertEquals(0, troubleshoot.exitCode(), troubleshoot.describe());
        assertTrue(troubleshoot.stdout().contains("\"status\": \"OK\""), troubleshoot.stdout());
    }

    @Test
    void runtimeHoldsOnlyTheModulesItNeeds() {
        ProcessResult modules = DbtoolBundle.exec(List.of(home.resolve("runtime/bin/java").toString(), "--list-modules"),
                null, Duration.ofSeconds(30), Map.of(), work);
        Set<String> names = modules.stdout().lines().map(l -> l.replaceFirst("@.*", "").trim()).filter(l -> !l.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EXPECTED_MODULES), names);
    }

    @Test
    void shipsSbomLicencesAndTheSnowflakePluginSeparately() throws Exception {
        String sbom = Files.readString(home.resolve("sbom.cdx.json"));
        assertTrue(sbom.contains("\"bomFormat\" : \"CycloneDX\"") || sbom.contains("\"bomFormat\": \"CycloneDX\""), "CycloneDX SBOM");
        assertTrue(sbom.contains("pkg:maven/org.postgresql/postgresql@"), "the SBOM lists the PostgreSQL driver");
        assertTrue(Files.isDirectory(home.resolve("LICENSES").resolve("postgresql-42.7.13")), "driver licence shipped");
        assertTrue(sbom.contains("pkg:maven/io.github.jopenlibs/vault-java-driver@6.2.1"), "the SBOM lists the Vault Java driver");
        try (Stream<Path> auth = Files.list(home.resolve("plugins/auth"))) {
            assertEquals(List.of("dbtool-auth.jar", "vault-java-driver-6.2.1.jar"), auth.map(p -> p.getFileName().toString())
                    .map(n -> n.replaceFirst("^dbtool-auth-.*\\.jar$", "dbtool-auth.jar")).sorted().toList(),
                    "the auth plugin folder holds the Vault Java driver next to dbtool-auth");
        }
        Path vaultLicence = home.resolve("LICENSES/vault-java-driver-6.2.1/LICENSE");
        assertTrue(Files.readString(vaultLicence).contains("The MIT License (MIT)"), "the driver's jar has no licence file: ours ships");
        assertTrue(Files.readString(vaultLicence).contains("Copyright (c) 2016-2019 BetterCloud"));
        assertFalse(Files.exists(home.resolve("licenses-supplied")), "the supplied texts live in LICENSES/ only");
        assertTrue(!Files.exists(home.resolve("plugins/snowflake")), "Snowflake ships as its own archive");
        try (Stream<Path> sqlServerFlyway = Files.list(home.resolve("change/sqlserver"))) {
            assertEquals(List.of("flyway-core-12.4.0.jar", "flyway-sqlserver-12.4.0.jar", "jackson-annotations-2.21.jar", "jackson-core-3.1.1.jar",
                    "jackson-databind-3.1.1.jar"), sqlServerFlyway.map(p -> p.getFileName().toString()).sorted().toList(),
                    "dbtool change on SQL Server: Flyway 12.4 for its second loader (docs/decisions/0010)");
        }
        assertTrue(Files.isExecutable(home.resolve("bin/dbtool")));
    }

    @Test
    void thirdPartyPluginBuiltAgainstCoreAloneIsListedAndRuns() throws Exception {
        Path plugins = home.resolve("plugins");
        Path echo = Files.createDirectories(plugins.resolve("echo"));
        buildEchoPlugin(echo.resolve("echo-plugin.jar"));
        Path broken = Files.createDirectories(plugins.resolve("broken"));
        Files.writeString(broken.resolve("broken.jar"), "this is not a jar");
        try {
            ProcessResult list = run("plugins");
            assertEquals(0, list.exitCode(), list.describe());
            assertTrue(list.stdout().lines().anyMatch(l -> l.startsWith("echo ") && l.contains("ok") && l.contains("echo://")), list.stdout());
            assertTrue(list.stdout().lines().anyMatch(l -> l.startsWith("broken ") && l.contains("FAILED")), list.stdout());
            assertTrue(list.stdout().contains("plugin broken ("), "the reason is given: " + list.stdout());

            ProcessResult troubleshoot = run("troubleshoot", "echo://localhost/anything");
            assertEquals(1, troubleshoot.exitCode(), troubleshoot.describe());
            assertTrue(troubleshoot.stdout().contains("ECHO_HELLO: echo plugin answered for localhost"), troubleshoot.stdout());
            ProcessResult postgres = run("troubleshoot", cluster.url("postgres"), "--check", "connection");
            assertEquals(0, postgres.exitCode(), "the broken plugin does not stop the others: " + postgres.describe());
        } finally {
            DbtoolBundle.exec(List.of("rm", "-rf", echo.toString(), broken.toString()), null, Duration.ofSeconds(10), Map.of("PATH", "/usr/bin:/bin"), work);
        }
    }

    private static ProcessResult run(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/dbtool").toString()));
        command.addAll(List.of(args));
        Map<String, String> env = Map.of("PATH", tools.toString(), "HOME", work.toString());
        return DbtoolBundle.exec(command, null, Duration.ofSeconds(60), env, work);
    }

    private static void verifyChecksum(Path archive) throws Exception {
        String sums = Files.readString(archive.resolveSibling("SHA256SUMS"));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(archive)) {
            sha.update(in.readAllBytes());
        }
        String expected = HexFormat.of().formatHex(sha.digest()) + "  " + archive.getFileName();
        assertTrue(sums.lines().anyMatch(expected::equals), "SHA256SUMS verifies " + archive.getFileName());
    }

    /** A minimal engine plugin, compiled here against the dbtool-core artifact only. */
    private static void buildEchoPlugin(Path jar) throws Exception {
        Path src = Files.createDirectories(work.resolve("echo-src/echo/plugin"));
        Files.writeString(src.getParent().getParent().resolve("module-info.java"), """
                module echo.plugin {
                    requires dbtool.core;
                    provides dbtool.spi.EnginePlugin with echo.plugin.EchoPlugin;
                }
                """);
        Files.writeString(src.resolve("EchoPlugin.java"), """
                package echo.plugin;

                import dbtool.spi.*;
                import java.util.List;
                import java.util.Set;

                public final class EchoPlugin implements EnginePlugin {
                    public String id() { return "echo"; }
                    public String displayName() { return "Echo"; }
                    public Set<String> schemes() { return Set.of("echo"); }
                    public int defaultPort() { return 7; }
                    public List<Check> checks() {
                        return List.of(new Check() {
                            public String id() { return "hello"; }
                            public String category() { return Category.CONNECTIVITY; }
                            public String description() { return "answers"; }
                            public CheckResult run(EngineSession session, CheckContext context) {
                                return CheckResult.builder().add(Finding.of("ECHO_HELLO", Severity.WARNING,
                                        "echo plugin answered for " + ((EchoSession) session).host()).build()).build();
                            }
                        });
                    }
                    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
                        return new EchoSession(target.host());
                    }
                    record EchoSession(String host) implements EngineSession {
                        public void close() { }
                    }
                }
                """);
        Path classes = Files.createDirectories(work.resolve("echo-classes"));
        Path core = Path.of(EnginePlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, null, null, "--release", "25", "--module-path", core.toString(), "-d", classes.toString(),
                src.getParent().getParent().resolve("module-info.java").toString(), src.resolve("EchoPlugin.java").toString());
        assertEquals(0, code, "the echo plugin compiles against dbtool-core alone");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
    }
}
