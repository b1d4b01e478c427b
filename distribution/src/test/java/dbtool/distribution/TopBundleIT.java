package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.utils.ScreenTerminal;
import org.jline.utils.ScreenTerminalOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'dbtool top' from the bundle, in the {@code dbtool>} shell on a pseudo-terminal (util-linux
 * {@code script}): the screen shows the blocking tree, a key changes the sort, q gives the prompt
 * back, and exit leaves with 0. What the user would see is read through JLine's VT100 emulator.
 */
class TopBundleIT {

    static LocalCluster cluster;
    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE DATABASE shop");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void inTheShellOnAPseudoTerminalTheTreeShowsAKeySortsAndQGivesThePromptBack() throws Exception {
        DbtoolBundle bundle = DbtoolBundle.locate(home);
        try (Incident incident = new Incident(cluster, "shop")) {
            int head = incident.blockingChain("accounts", 3);
            ScreenTerminal screen = new ScreenTerminal(120, 40);
            String command = "stty rows 40 cols 120; exec '" + bundle.home().resolve("bin/dbtool") + "'";
            ProcessBuilder builder = new ProcessBuilder(List.of("script", "-qfec", command, "/dev/null")).directory(home.toFile());
            builder.environment().put("HOME", home.toString());
            builder.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
            builder.environment().put("TERM", "xterm-256color");
            builder.environment().put("LANG", "C.UTF-8");
            builder.environment().remove("NO_COLOR");
            builder.redirectErrorStream(true);
            Process process = builder.start();
            Thread copier = Thread.ofPlatform().daemon().start(() -> copy(process.getInputStream(),
                    new ScreenTerminalOutputStream(screen, StandardCharsets.UTF_8, OutputStream.nullOutputStream())));
            OutputStream keys = process.getOutputStream();
            try {
                await(screen, "dbtool>");
                type(keys, "top " + cluster.url("shop") + " --interval 0.5\r");
                await(screen, "\u2514");
                await(screen, " " + head + " ");
                await(screen, "sort duration");
                type(keys, "w");
                await(screen, "sort waits");
                type(keys, "q");
                awaitGone(screen, "sort waits");
                await(screen, "dbtool>");
                type(keys, "exit\r");
                assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the shell ended");
                assertEquals(0, process.exitValue(), screen.toString());
            } finally {
                process.destroyForcibly();
                copier.join(2000);
            }
        }
    }

    @Test
    void withoutATerminalItSaysToUseOnceAndOnceWorks() {
        DbtoolBundle bundle = DbtoolBundle.locate(home);
        ProcessResult live = bundle.run("top", cluster.url("shop"));
        assertEquals(64, live.exitCode(), live.describe());
        assertEquals("dbtool: top: standard output is not a terminal; use --once (--format text or json) for one frame",
                live.stderr().strip());

        ProcessResult once = bundle.run("top", cluster.url("shop"), "--once", "--format", "json", "--interval", "0.5");
        assertEquals(0, once.exitCode(), once.describe());
        assertTrue(once.stdout().contains("\"kind\": \"top\"") && once.stdout().contains("\"statements\": 2"), once.stdout());
    }

    /** Feeds the emulator as the bytes come, flushing each read: the emulator draws on flush. */
    private static void copy(InputStream in, OutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (Exception e) {
            // the process ended
        }
    }

    private static void type(OutputStream keys, String text) throws Exception {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private static void await(ScreenTerminal screen, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (screen.toString().contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + text + "' not on the screen:\n" + screen);
    }

    private static void awaitGone(ScreenTerminal screen, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (!screen.toString().contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + text + "' still on the screen after q:\n" + screen);
    }
}
