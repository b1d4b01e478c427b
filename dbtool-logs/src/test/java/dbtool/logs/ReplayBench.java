package dbtool.logs;

import dbtool.plugin.postgres.PostgresPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code dbtool COMMAND ...} (replay) from the test class path with the PostgreSQL plugin installed, for
 * bench/replay/fidelity.sh (as bench/logs runs {@link Throughput}): prints what the command printed
 * and exits with its code.
 */
final class ReplayBench {

    private ReplayBench() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Files.createTempDirectory("dbtool-replay-bench-home");
        LogsRun run = LogsRun.command(home, List.of(new PostgresPlugin()), args[0], Arrays.copyOfRange(args, 1, args.length));
        System.out.print(run.out());
        System.err.print(run.err());
        System.exit(run.exitCode());
    }
}
