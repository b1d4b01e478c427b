package dbtool.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.ScreenTerminal;
import org.jline.utils.ScreenTerminalOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view on a real server, driven by keys through a JLine terminal as the {@code dbtool>}
 * shell hands it over: the screen shows the blocking tree, keys change the sort and the filter,
 * Enter shows a plan (or why a locked table gives none, while the view keeps answering), q exits 0.
 */
class LiveViewTest {

    static LocalCluster cluster;
    Incident incident;
    @TempDir
    Path home;
    private final ExecutorService background = Executors.newCachedThreadPool();
    private ScreenTerminal shown;
    private OutputStream keys;
    private Future<TopRun> running;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        cluster.execute("postgres", "CREATE DATABASE shop");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void stage() {
        incident = new Incident(cluster, "shop");
    }

    @AfterEach
    void end() {
        incident.close();
        background.shutdownNow();
    }

    @Test
    void treeSortFilterPlanAndQuit() throws Exception {
        int head = incident.blockingChain("accounts", 3);
        int sleeper = incident.longQuery("reports", 60);
        Future<TopRun> top = startTop(100, 30);

        awaitScreen("\u2514", "the tree's branch");
        awaitScreen(String.valueOf(head), "the head blocker");
        awaitScreen(String.valueOf(sleeper), "the long query");
        awaitScreen("sort duration", "the default sort");

        type("c");
        awaitScreen("sort CPU", "c sorts by CPU");
        type("w");
        awaitScreen("sort waits", "w sorts by waits");

        type("/revenue\r");
        awaitScreen("filter revenue", "the filter in the summary line");
        type("\r");
        awaitScreen("to terminate (shown, not run): SELECT pg_terminate_backend(" + sleeper + ")", "the statement to end it");
        awaitScreen("Result  (cost=", "the plan of SELECT pg_sleep(60)");

        type("q");
        TopRun run = top.get(10, TimeUnit.SECONDS);
        assertEquals(0, run.exitCode(), run.toString());
    }

    @Test
    void aPlanOnATableHeldAccessExclusiveSaysSoAndTheViewKeepsAnswering() throws Exception {
        incident.accessExclusive("ledger");
        Connection reader = cluster.connect("shop", "postgres", null, "ledger-reader");
        background.submit(() -> {
            try (Statement statement = reader.createStatement()) {
                statement.execute("SELECT count(*) FROM ledger");
            }
            return null;
        });
        Future<TopRun> top = startTop(100, 30);
        awaitScreen("SELECT count(*) FROM ledger", "the waiting reader");

        // The reader waits under the session holding the lock: select it (second row of the filtered tree) and ask for its plan.
        type("/app:ledger-reader\r");
        awaitScreen("filter app:ledger-reader", "the filter in the summary line");
        type("\033[B\r");
        type("d");
        long asked = System.nanoTime();
        awaitScreen("sort duration", "a key handled while the plan waits for the lock");
        long answered = System.nanoTime();
        awaitScreen("plan unavailable: a table it uses is locked by another session: planning waited 500 ms", "why there is no plan");
        assertTrue(Duration.ofNanos(answered - asked).toMillis() < 2000, "the view answered keys while the plan waited");

        type("q");
        assertEquals(0, top.get(10, TimeUnit.SECONDS).exitCode());
        reader.close();
    }

    private Future<TopRun> startTop(int columns, int rows) throws IOException {
        PipedInputStream input = new PipedInputStream();
        keys = new PipedOutputStream(input);
        // What the user would see: JLine's VT100 screen emulator reads what top sends the terminal.
        shown = new ScreenTerminal(columns, rows);
        OutputStream emulated = new ScreenTerminalOutputStream(shown, StandardCharsets.UTF_8, OutputStream.nullOutputStream());
        Terminal terminal = TerminalBuilder.builder().system(false).streams(input, emulated).type("xterm-256color")
                .encoding(StandardCharsets.UTF_8).size(Size.of(columns, rows)).build();
        running = background.submit(() -> {
            try (terminal) {
                String before = terminal.getAttributes().toString();
                TopRun run = TopRun.run(home, true, terminal, cluster.url("shop"), "--interval", "0.5");
                // The shell's terminal comes back as it was lent: line editing and echo on again for the prompt.
                assertEquals(before, terminal.getAttributes().toString(), "terminal attributes restored");
                return run;
            }
        });
        return running;
    }

    private void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Waits until the emulated screen shows this text. */
    private void awaitScreen(String text, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (shown.toString().contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        String ended = "";
        if (running.isDone()) {
            try {
                ended = "top ended: " + running.get() + "\n";
            } catch (Exception e) {
                ended = "top failed: " + e + "\n";
            }
        }
        throw new AssertionError(what + ": '" + text + "' not on the screen; " + ended + "the screen shows:\n" + shown);
    }
}
