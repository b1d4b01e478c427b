package dbtool.core.cli;

import dbtool.core.Environment;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.core.log.RunLog;
import dbtool.core.plugin.PluginRegistry;
import dbtool.core.report.Style;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * What a command may use: the streams, the environment, and the configuration and plugins,
 * both loaded on first use and kept for the rest of the process (or shell session).
 */
public final class CommandContext implements AutoCloseable {

    private final Environment environment;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private Config config;
    private PluginRegistry plugins;
    private RunLog log;

    /**
     * @param terminal whether a human is at a terminal: enables colour, prompts and the shell
     */
    public CommandContext(Environment environment, PrintStream out, PrintStream err, boolean terminal) {
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public Environment environment() {
        return environment;
    }

    public PrintStream out() {
        return out;
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
            plugins = PluginRegistry.discover(environment);
        }
        return plugins;
    }

    /** Uses these plugins instead of discovering them (tests). */
    synchronized CommandContext withPlugins(PluginRegistry registry) {
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
