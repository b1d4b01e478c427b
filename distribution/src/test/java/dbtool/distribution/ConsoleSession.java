package dbtool.distribution;

import dbtool.distribution.ConsoleExamples.Block;
import dbtool.distribution.ConsoleExamples.Step;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the commands of one console example as a shell would, and renders them as a terminal shows
 * them. Only the few shell forms the docs need are understood, each run for real; anything else
 * fails the example, so a page cannot show a command the test did not run:
 *
 * <ul>
 *   <li>{@code dbtool ARGS}, with single quotes (a {@code |} inside them is an argument);</li>
 *   <li>{@code dbtool ARGS > /dev/null}: standard output dropped, standard error shown;</li>
 *   <li>{@code dbtool ARGS | jq ARGS}, {@code curl -s URL | jq ARGS} and {@code printf 'TEXT' | dbtool ARGS};</li>
 *   <li>{@code dbtool serve ARGS &} (one at a time): started in the background on a free loopback port
 *       in place of the port the page shows, waited for until it is ready (every target ran once),
 *       its standard error shown as it comes; {@code curl -s URL} fetches from it with a GET and
 *       {@code kill %1} stops it with SIGTERM and waits for it;</li>
 *   <li>{@code echo $?}: the exit code of the last command;</li>
 *   <li>a comment after an unquoted {@code #}.</li>
 * </ul>
 *
 * <p>The output shows the background serve on the port the page names and the example's temporary
 * home as {@code ~}, as on the reader's machine; the comparison blurs ports anyway.
 */
final class ConsoleSession implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern LOOPBACK_PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    private final Block block;
    private final DbtoolBundle bundle;
    private final List<String> lines = new ArrayList<>();
    private int lastExit;
    private Process serve;
    private Path serveErr;
    private int serveErrShown;
    private String pagePort;
    private int realPort;

    private ConsoleSession(Block block, DbtoolBundle bundle) {
        this.block = block;
        this.bundle = bundle;
    }

    /** Runs the block's commands in order and returns the terminal's lines. */
    static List<String> run(Block block, DbtoolBundle bundle) throws Exception {
        try (ConsoleSession session = new ConsoleSession(block, bundle)) {
            for (Step step : block.steps()) {
                session.lines.add("$ " + step.command());
                session.step(step.command());
            }
            return session.lines;
        }
    }

    /** A word of a command line, and whether it was quoted (a quoted {@code |} is no pipe). */
    record Word(String text, boolean quoted) {
        boolean is(String operator) {
            return !quoted && text.equals(operator);
        }
    }

    private void step(String command) throws Exception {
        if (command.equals("echo $?")) {
            lines.add(String.valueOf(lastExit));
            return;
        }
        List<Word> words = withoutComment(words(command));
        for (Word word : words) {
            if (!word.quoted() && word.text().matches(".*[|<>;&\"$`].*") && !List.of("|", ">", "&").contains(word.text())) {
                throw refused(command);
            }
        }
        int pipe = indexOf(words, "|");
        String first = words.isEmpty() ? "" : words.getFirst().text();
        if (words.getLast().is("&") && first.equals("dbtool") && words.size() > 2 && words.get(1).text().equals("serve")) {
            startServe(args(words.subList(1, words.size() - 1)));
        } else if (isCurl(words)) {
            get(words.get(2).text()).lines().forEach(this::print);
            lastExit = 0;
        } else if (command.equals("kill %1")) {
            stopServe();
        } else if (pipe > 0 && pipe + 1 < words.size() && words.get(pipe + 1).text().equals("jq")
                && (first.equals("dbtool") || isCurl(words.subList(0, pipe)))) {
            String json;
            if (first.equals("dbtool")) {
                ProcessResult dbtool = bundle.run(null, TIMEOUT, args(words.subList(1, pipe)));
                dbtool.stderr().lines().forEach(this::print);
                json = dbtool.stdout();
            } else {
                json = get(words.get(2).text());
            }
            show(DbtoolBundle.exec(List.of(args(words.subList(pipe + 1, words.size()))), json, TIMEOUT,
                    Map.of("PATH", System.getenv("PATH")), bundle.userHome()));
        } else if (pipe == 2 && first.equals("printf") && words.get(1).quoted() && words.size() > 3 && words.get(3).text().equals("dbtool")) {
            String stdin = words.get(1).text().replace("\\n", "\n");
            show(bundle.run(stdin, TIMEOUT, args(words.subList(4, words.size()))));
        } else if (pipe < 0 && first.equals("dbtool") && words.size() > 2 && words.get(words.size() - 2).is(">")
                && words.getLast().text().equals("/dev/null")) {
            ProcessResult result = bundle.run(null, TIMEOUT, args(words.subList(1, words.size() - 2)));
            result.stderr().lines().forEach(this::print);
            lastExit = result.exitCode();
        } else if (pipe < 0 && first.equals("dbtool") && words.stream().noneMatch(w -> !w.quoted() && List.of(">", "&").contains(w.text()))) {
            ProcessResult result = bundle.runCombined(TIMEOUT, args(words.subList(1, words.size())));
            result.stdout().lines().forEach(this::print);
            lastExit = result.exitCode();
        } else {
            throw refused(command);
        }
        showServeErr();
    }

    /** The words before a comment: an unquoted word starting with {@code #} and all after it. */
    private static List<Word> withoutComment(List<Word> words) {
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).quoted() && words.get(i).text().startsWith("#")) {
                return words.subList(0, i);
            }
        }
        return words;
    }

    private static boolean isCurl(List<Word> words) {
        return words.size() == 3 && words.get(0).text().equals("curl") && words.get(1).text().equals("-s");
    }

    /**
     * One line of the terminal, as the reader's machine would show it: the background serve on the
     * port the page names, and the example's temporary home (where the state store and the
     * configuration live) as {@code ~}.
     */
    private void print(String line) {
        String shown = pagePort == null ? line : line.replace("127.0.0.1:" + realPort, "127.0.0.1:" + pagePort);
        lines.add(shown.replace(bundle.userHome().toAbsolutePath().toString(), "~"));
    }

    private AssertionError refused(String command) {
        return new AssertionError(block.where() + ": an example runs 'dbtool ARGS' (single quotes allowed), 'dbtool ARGS > /dev/null', "
                + "'dbtool ARGS | jq ARGS', 'curl -s URL | jq ARGS', 'printf 'TEXT' | dbtool ARGS', 'dbtool serve ARGS &', 'curl -s URL', 'kill %1' or 'echo $?', not: "
                + command);
    }

    private void show(ProcessResult result) {
        // A terminal shows both streams; a session's stderr lines come first, as they are written before the output ends.
        result.stderr().lines().forEach(this::print);
        result.stdout().lines().forEach(this::print);
        lastExit = result.exitCode();
    }

    private static int indexOf(List<Word> words, String operator) {
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).is(operator)) {
                return i;
            }
        }
        return -1;
    }

    private String[] args(List<Word> words) {
        return words.stream().map(w -> onRealPort(w.text())).toArray(String[]::new);
    }

    /** The page shows a fixed port (8080); the session runs on a free one, blurred back by the comparison. */
    private String onRealPort(String text) {
        return pagePort == null ? text : text.replace("127.0.0.1:" + pagePort, "127.0.0.1:" + realPort);
    }

    private void startServe(String[] args) throws Exception {
        if (serve != null) {
            throw new AssertionError(block.where() + ": one 'dbtool serve ... &' at a time");
        }
        String[] onPort = args.clone();
        for (int i = 0; i < onPort.length; i++) {
            Matcher port = LOOPBACK_PORT.matcher(onPort[i]);
            if (port.matches()) {
                pagePort = port.group(1);
                realPort = freePort();
                onPort[i] = "127.0.0.1:" + realPort;
            }
        }
        if (pagePort == null) {
            throw new AssertionError(block.where() + ": a background serve listens on '--listen 127.0.0.1:PORT', so the session can reach it");
        }
        serveErr = Files.createTempFile(bundle.userHome(), "serve", ".err");
        serve = bundle.start(serveErr, onPort);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!ready()) {
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(block.where() + ": dbtool serve did not become ready (exit "
                        + (serve.isAlive() ? "none yet" : serve.exitValue()) + "):\n" + Files.readString(serveErr));
            }
            Thread.sleep(100);
        }
    }

    /** Ready when every target ran once and serve said where it listens (it says so after it starts listening). */
    private boolean ready() throws IOException {
        if (!Files.readString(serveErr).contains("listening on")) {
            return false;
        }
        try {
            return http("/ready").statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String get(String url) throws Exception {
        String real = onRealPort(url);
        if (serve == null || !real.startsWith("http://127.0.0.1:" + realPort + "/")) {
            throw new AssertionError(block.where() + ": curl fetches only from the serve this session started: " + url);
        }
        return http(real.substring(("http://127.0.0.1:" + realPort).length())).body();
    }

    private HttpResponse<String> http(String path) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + realPort + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private void stopServe() throws Exception {
        if (serve == null) {
            throw new AssertionError(block.where() + ": 'kill %1' without a 'dbtool serve ... &' before it");
        }
        serve.destroy(); // SIGTERM: the launcher execs the JVM
        if (!serve.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(block.where() + ": dbtool serve did not stop on SIGTERM");
        }
        showServeErr();
        lastExit = 0;
        serve = null;
    }

    /** What the background serve wrote to standard error since the last command, as a terminal shows it. */
    private void showServeErr() throws IOException {
        if (serveErr == null) {
            return;
        }
        List<String> written = Files.readAllLines(serveErr);
        written.subList(serveErrShown, written.size()).forEach(this::print);
        serveErrShown = written.size();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A command line split as a shell would split it, with single quotes and nothing else. */
    static List<Word> words(String command) {
        List<Word> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoting = false;
        boolean quoted = false;
        for (char c : command.toCharArray()) {
            if (c == '\'') {
                quoting = !quoting;
                quoted = true;
                word = word == null ? new StringBuilder() : word;
            } else if (c == ' ' && !quoting) {
                if (word != null) {
                    words.add(new Word(word.toString(), quoted));
                    word = null;
                    quoted = false;
                }
            } else {
                word = (word == null ? new StringBuilder() : word).append(c);
            }
        }
        if (quoting) {
            throw new AssertionError("unbalanced quote in: " + command);
        }
        if (word != null) {
            words.add(new Word(word.toString(), quoted));
        }
        return words;
    }

    @Override
    public void close() {
        if (serve != null) {
            serve.destroyForcibly(); // a session that failed before its 'kill %1'
            try {
                serve.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
