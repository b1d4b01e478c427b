package dbtool.core.cli;

import dbtool.core.Environment;
import dbtool.core.SafeText;
import dbtool.core.StandardOutput;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.core.log.RunLog;
import dbtool.core.plugin.PluginRegistry;
import dbtool.core.report.Style;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a command may use: the streams, the environment, and the configuration and plugins,
 * both loaded on first use and kept for the rest of the process (or shell session).
 */
public final class CommandContext implements AutoCloseable {

    private final Environment environment;
    private final PrintStream rawOut;
    private final PrintStream out;
    private final PrintStream err;
    private final PrintStream rawErr;
    private final boolean terminal;
    private Config config;
    private PluginRegistry plugins;
    private RunLog log;

    /**
     * @param terminal whether a human is at a terminal: enables colour, prompts and the shell
     */
    public CommandContext(Environment environment, PrintStream out, PrintStream err, boolean terminal) {
        this.environment = environment;
        this.rawOut = out;
        // Whatever a command prints as text has its control characters shown, not obeyed: messages
        // quote servers and configuration files. Only emit() writes dbtool's own colour codes.
        this.out = SafeText.printStream(out, out.charset());
        this.rawErr = err;
        this.err = SafeText.printStream(err, err.charset());
        this.terminal = terminal;
    }

    public Environment environment() {
        return environment;
    }

    /** Standard output for text: control characters in it are escaped ({@link SafeText}). */
    public PrintStream out() {
        return out;
    }

    /**
     * Writes text that a renderer built, with dbtool's own colour codes in it: the renderer has
     * already passed every string it did not write itself through {@link SafeText}.
     */
    public void emit(String rendered) {
        rawOut.print(rendered);
        rawOut.flush();
    }

    /**
     * Rewrites the current line of stderr (progress on a terminal): the text is escaped, the carriage
     * return that goes back to the start of the line is dbtool's own.
     */
    public void progress(String text) {
        rawErr.print("\r" + SafeText.oneLine(text));
        rawErr.flush();
    }

    /** Why standard output could not be written, when a write to it failed. */
    public Optional<String> outputFailure() {
        out.flush();
        if (rawOut instanceof StandardOutput standard) {
            return standard.failure();
        }
        return out.checkError() ? Optional.of("write failed") : Optional.empty();
    }

    public PrintStream err() {
        return err;
    }

    public boolean terminal() {
        return terminal;
    }

    public synchronized Config config() {
        if (config == null) {
            config = ConfigLoader.load(environment.configFile());
        }
        return config;
    }

    public synchronized PluginRegistry plugins() {
        if (plugins == null) {
            plugins = PluginRegistry.discover(environment, warning -> err.println("dbtool: " + warning));
        }
        return plugins;
    }

    /** Uses these plugins instead of discovering them (tests, here and in the feature modules). */
    public synchronized CommandContext withPlugins(PluginRegistry registry) {
        this.plugins = registry;
        return this;
    }

    /** The run log ({@code DBTOOL_LOG}), opened on first use; {@link RunLog#off()} when not asked for. */
    public synchronized RunLog log() {
        if (log == null) {
            log = RunLog.open(environment, err); // a log that cannot be opened is reported once, then stays off
        }
        return log;
    }

    /** Closes the run log, when the one-shot command or the shell ends. */
    @Override
    public synchronized void close() {
        if (log != null) {
            log.close();
        }
    }

    /** The text style for stdout: colour only on a terminal, without NO_COLOR and --no-color. */
    public Style style(boolean noColor) {
        boolean color = terminal && !noColor && environment.colorAllowed();
        return new Style(color, unicode());
    }

    private static boolean unicode() {
        String encoding = System.getProperty("stdout.encoding");
        try {
            return encoding == null || Charset.forName(encoding).equals(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
