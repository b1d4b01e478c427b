package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.LocalServers;
import dbtool.testkit.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/container/build-image.py makes the dbtool serve image from the release archive with no registry and no
 * daemon: reproducibly (the same archive, the same bytes), as an OCI layout that Docker's loader reads too, running as
 * user 10001 with a health check on /ready. No container runtime works on this machine (Docker's client is here, its
 * daemon is not), so the image's single layer is unpacked and run as a runtime would, in a mount namespace of its own
 * with /proc and /dev mounted and chroot to the layer as the image's user: {@code dbtool --version}
 * works with nothing from the host, and the image's own health check command (busybox wget on /ready) succeeds
 * against {@code dbtool serve} running inside. Where {@code docker info} works, the image is also loaded and run there.
 */
class ContainerImageIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path BUILDER = ROOT.resolve("deploy/container/build-image.py");

    @TempDir
    static Path work;
    static Path archive;
    static Path image;
    static JsonObject config;
    static Path rootfs;
    static String version;

    @BeforeAll
    static void build() throws Exception {
        archive = Path.of(System.getProperty("dbtool.archive"));
        String name = archive.getFileName().toString();
        version = name.substring("dbtool-".length(), name.length() - "-linux-x64.tar.gz".length());
        image = work.resolve("dbtool-image.tar");
        ProcessResult result = builder(image);
        assertEquals(0, result.exitCode(), result.describe());

        Path layout = Files.createDirectories(work.resolve("layout"));
        untar(image, layout, false);
        JsonObject index = JsonParser.parseString(Files.readString(layout.resolve("index.json"))).getAsJsonObject();
        JsonObject manifest = blob(layout, index.getAsJsonArray("manifests").get(0).getAsJsonObject());
        config = blob(layout, manifest.getAsJsonObject("config"));
        JsonArray layers = manifest.getAsJsonArray("layers");
        assertEquals(1, layers.size());
        Path layer = layout.resolve("blobs/sha256/" + layers.get(0).getAsJsonObject().get("digest").getAsString().substring(7));
        rootfs = Files.createDirectories(work.resolve("rootfs"));
        untar(layer, rootfs, true);
    }

    static ProcessResult builder(Path output) {
        return DbtoolBundle.exec(List.of("python3", BUILDER.toString(), "--archive", archive.toString(), "--output", output.toString()),
                null, Duration.ofMinutes(5), Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin", "LANG", "C.UTF-8"), work);
    }

    static void untar(Path tar, Path into, boolean gzip) {
        ProcessResult result = DbtoolBundle.exec(List.of("tar", gzip ? "xzf" : "xf", tar.toString(), "-C", into.toString()),
                null, Duration.ofMinutes(2), Map.of("PATH", "/usr/bin:/bin"), work);
        assertEquals(0, result.exitCode(), result.describe());
    }

    /** A blob named by a descriptor, checked against its digest and size. */
    static JsonObject blob(Path layout, JsonObject descriptor) throws Exception {
        String digest = descriptor.get("digest").getAsString();
        byte[] bytes = Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.substring("sha256:".length())));
        assertEquals(descriptor.get("size").getAsLong(), bytes.length, digest);
        assertEquals(digest, "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    void theImageRunsAsANonRootUserWithAHealthCheckOnReady() throws Exception {
        JsonObject container = config.getAsJsonObject("config");
        assertEquals("10001:10001", container.get("User").getAsString());
        assertEquals("[\"/opt/dbtool/bin/dbtool\"]", container.getAsJsonArray("Entrypoint").toString());
        assertTrue(container.getAsJsonArray("Cmd").toString().startsWith("[\"serve\",\"--listen\",\"0.0.0.0:9330\""), container.toString());
        assertTrue(container.getAsJsonObject("Healthcheck").getAsJsonArray("Test").toString().contains("http://127.0.0.1:9330/ready"));
        assertTrue(container.getAsJsonObject("ExposedPorts").has("9330/tcp"));
        assertEquals(version, container.getAsJsonObject("Labels").get("org.opencontainers.image.version").getAsString());
        // Docker's loader reads manifest.json beside the OCI layout
        String dockerManifest = Files.readString(work.resolve("layout/manifest.json"));
        assertTrue(dockerManifest.contains("\"RepoTags\":[\"dbtool:" + version + "\"]"), dockerManifest);
        assertEquals(10001, Files.getAttribute(rootfs.resolve("var/lib/dbtool"), "unix:uid"));
    }

    @Test
    void theSameArchiveGivesTheSameImage() throws Exception {
        Path again = work.resolve("again.tar");
        ProcessResult result = builder(again);
        assertEquals(0, result.exitCode(), result.describe());
        assertEquals(sha256(image), sha256(again), "the image is not reproducible");
        Files.delete(again);
    }

    @Test
    void dbtoolRunsInsideTheImageAsItsUserWithNothingFromTheHost() throws Exception {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/sbin/chroot")), "unshare, mount and chroot need root");
        ProcessResult id = inImage(List.of("/bin/id", "-u"), Duration.ofSeconds(30));
        assertEquals("10001", id.stdout().strip(), id.describe());
        ProcessResult run = inImage(List.of("/opt/dbtool/bin/dbtool", "--version"), Duration.ofSeconds(60));
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains(version), run.describe());
        assertEquals("", run.stderr(), run.describe());
    }

    @Test
    void theHealthCheckCommandSeesServeReady() throws Exception {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/sbin/chroot")), "unshare, mount and chroot need root");
        int port = LocalServers.freePort();
        List<String> command = chroot(List.of("/opt/dbtool/bin/dbtool", "serve", "--listen", "127.0.0.1:" + port, "--access-log", "off"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("serve.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(imageEnvironment());
        Process serve = builder.start();
        try {
            List<String> health = new ArrayList<>();
            container().getAsJsonObject("Healthcheck").getAsJsonArray("Test").forEach(e -> health.add(e.getAsString()));
            assertEquals("CMD", health.removeFirst());
            health.replaceAll(a -> a.replace("127.0.0.1:9330", "127.0.0.1:" + port));
            ProcessResult check = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && (check == null || check.exitCode() != 0) && serve.isAlive()) {
                Thread.sleep(200);
                check = inImage(health, Duration.ofSeconds(10));
            }
            assertTrue(check != null && check.exitCode() == 0, "health check never passed: " + (check == null ? "" : check.describe())
                    + "\n" + Files.readString(work.resolve("serve.log")));
        } finally {
            // unshare --fork ignores SIGTERM itself: stop dbtool (the JVM the launcher exec'd) as a runtime would
            serve.descendants().forEach(ProcessHandle::destroy);
            assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
        }
        assertFalse(Files.readString(work.resolve("serve.log")).contains("Exception"), Files.readString(work.resolve("serve.log")));
    }

    @Test
    void aDockerDaemonWhereOneRunsLoadsAndRunsTheImage() {
        ProcessResult info = DbtoolBundle.exec(List.of("sh", "-c", "command -v docker >/dev/null && docker info --format '{{.ServerVersion}}'"),
                null, Duration.ofSeconds(30), Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), work);
        assumeTrue(info.exitCode() == 0, "no Docker daemon on this machine (only its client): the image ran with chroot instead");
        ProcessResult load = DbtoolBundle.exec(List.of("docker", "load", "-i", image.toString()), null, Duration.ofMinutes(2),
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), work);
        assertEquals(0, load.exitCode(), load.describe());
        ProcessResult run = DbtoolBundle.exec(List.of("docker", "run", "--rm", "dbtool:" + version, "--version"), null, Duration.ofMinutes(2),
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), work);
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains(version), run.describe());
    }

    static JsonObject container() {
        return config.getAsJsonObject("config");
    }

    /** The image's Env, as a runtime would set it, and nothing of the host's. */
    static Map<String, String> imageEnvironment() {
        Map<String, String> env = new HashMap<>();
        container().getAsJsonArray("Env").forEach(e -> {
            String pair = e.getAsString();
            env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        });
        return env;
    }

    /**
     * The command inside the image: a private mount namespace (unshare), /proc and /dev mounted in the layer (the
     * dynamic loader reads /proc/self/exe to find the runtime's libraries), then chroot as the image's user.
     */
    static List<String> chroot(List<String> command) {
        String user = container().get("User").getAsString();
        StringBuilder script = new StringBuilder("mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\" && exec /usr/sbin/chroot --userspec=")
                .append(user).append(" \"$0\"");
        for (int i = 0; i < command.size(); i++) {
            script.append(" \"$").append(i + 1).append('"');
        }
        List<String> full = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--fork", "--kill-child", "/bin/sh", "-c",
                script.toString(), rootfs.toString()));
        full.addAll(command);
        return full;
    }

    static ProcessResult inImage(List<String> command, Duration timeout) {
        return DbtoolBundle.exec(chroot(command), null, timeout, imageEnvironment(), work);
    }

    static boolean isRoot() throws IOException {
        return "0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
