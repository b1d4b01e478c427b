package dbtool.logs;

import dbtool.logs.analysis.LogAnalysis;
import dbtool.logs.read.LinePrefix;
import dbtool.logs.read.LogEntry;
import dbtool.logs.read.LogFormat;
import dbtool.logs.read.LogInput;
import dbtool.logs.read.PostgresStderrReader;
import dbtool.logs.rules.LogRules;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * The bench's in-process measure (bench/logs/throughput.sh): what one core reads once compiled, without
 * the JVM's start-up and warm-up that a whole {@code dbtool logs} process includes. Reads a PostgreSQL
 * stderr log several times in one process (read, parse, mine, count, rules, the patterns), printing
 * each pass's lines a second by the wall clock and by the process's CPU time (the reading thread, and the
 * JIT's and the collector's threads: on a shared machine, what the pass cost when it had to wait).
 *
 * <pre>java -cp ... dbtool.logs.Throughput FILE PREFIX [PASSES]</pre>
 */
public final class Throughput {

    private Throughput() {
    }

    public static void main(String[] args) throws IOException {
        LinePrefix prefix = LinePrefix.parse(args[1]);
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int pass = 1; pass <= passes; pass++) {
            long wall = System.nanoTime();
            Duration cpu = cpu();
            long lines;
            try (LogInput input = LogInput.open(args[0], System.in)) {
                PostgresStderrReader reader = new PostgresStderrReader(input.lines(message -> { }), prefix, false);
                LogAnalysis analysis = new LogAnalysis(LogRules.forFormat(LogFormat.POSTGRES));
                LogEntry entry;
                while ((entry = reader.next()) != null) {
                    analysis.add(entry);
                }
                analysis.patterns();
                analysis.rules().findings();
                lines = reader.lines();
            }
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            double cpuSeconds = cpu().minus(cpu).toNanos() / 1e9;
            System.out.printf(Locale.ROOT, "pass %d: %,d lines in %.2f s (%,.0f lines/s), %.2f s of process CPU (%,.0f lines/s)%n",
                    pass, lines, wallSeconds, lines / wallSeconds, cpuSeconds, lines / cpuSeconds);
        }
    }

    private static Duration cpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
