package dbtool.core;

import dbtool.core.cli.CommandContext;
import dbtool.core.cli.CommandLineInterface;
import dbtool.core.run.PendingReleases;
import dbtool.core.shell.Shell;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.logging.LogManager;

/** The {@code dbtool} entry point: a command from argv, or the shell when there is none. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getenv("DBTOOL_DEBUG") == null) {
            // Drivers (pgjdbc, mssql-jdbc, Snowflake's, MongoDB's, the Vault driver) log through java.util.logging,
            // whose default handler writes to the terminal beside dbtool's own one-line report of the same failure.
            // One LogManager serves every module layer, so this is the only place plugins' drivers are quieted;
            // DBTOOL_DEBUG keeps their logging for a bug report.
            LogManager.getLogManager().reset();
        }
        System.exit(run(args));
    }

    static int run(String[] args) {
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        // Every path to stderr (messages, warnings of plugins and drivers, stack traces with DBTOOL_DEBUG)
        // shows control characters instead of obeying them: they may quote a server or a file.
        PrintStream stderr = System.err;
        System.setErr(SafeText.printStream(stderr, stderr.charset()));
        CommandLineInterface cli = CommandLineInterface.standard();
        // stdout that remembers why a write failed: a report that did not arrive must not exit 0.
        StandardOutput out = StandardOutput.system();
        try (CommandContext context = new CommandContext(Environment.system(), out, stderr, terminal)) {
            // SIGINT/SIGTERM end the JVM without the runner's finally blocks: the hook revokes what is still
            // leased, and says in the run log too (if it is still open) what it could not.
            PendingReleases.installShutdownHook(message -> context.log().warn(message));
            if (args.length > 0) {
                return cli.execute(List.of(args), context);
            }
            Shell shell = new Shell(cli, context);
            if (terminal) {
                return shell.runInteractive();
            }
            Charset encoding = Charset.forName(System.getProperty("stdin.encoding", Charset.defaultCharset().name()));
            return shell.runPiped(new BufferedReader(new InputStreamReader(System.in, encoding)));
        } catch (IOException e) {
            System.err.println("dbtool: cannot read commands: " + e.getMessage());
            return ExitCodes.SOFTWARE;
        }
    }
}
