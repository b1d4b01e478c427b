package dbtool.logs;

import dbtool.core.SafeText;
import dbtool.core.Signals;
import dbtool.core.cli.CommandContext;
import dbtool.logs.read.FollowedFile;

/**
 * The command's side of {@code logs --follow}: says on stderr when the file was rotated or
 * truncated, refreshes the view when the reader has caught up, and turns Ctrl-C (SIGINT) into the
 * end of the input, so the command prints its summary and exits 0 instead of being killed mid-line.
 * It also ends when standard output can no longer be written.
 */
final class Follow implements FollowedFile.Events, AutoCloseable {

    private final String name;
    private final CommandContext context;
    private volatile Runnable refresh = () -> { };
    private AutoCloseable signals = () -> { };
    private Runnable stop = () -> { };

    Follow(String name, CommandContext context) {
        this.name = name;
        this.context = context;
    }

    /** Ctrl-C runs {@code stop} from now until {@link #close()} (in the dbtool> shell the thread's interrupt does it). */
    void stopWith(Runnable stop) {
        this.stop = stop;
        signals = Signals.on(stop, "INT");
    }

    void refreshWith(Runnable refresh) {
        this.refresh = refresh;
    }

    @Override
    public void rotated(String how) {
        context.err().println("dbtool: " + SafeText.oneLine(name) + ": " + how);
    }

    @Override
    public void idle() {
        refresh.run();
        if (context.outputFailure().isPresent()) {
            // Nobody reads any more (| head, a closed pipe): end as tail -F ends on SIGPIPE; core reports exit 74.
            stop.run();
        }
    }

    @Override
    public void close() {
        try {
            signals.close();
        } catch (Exception e) {
            // restoring the previous handlers cannot fail in a way worth reporting: Signals swallows its own errors
        }
    }
}
