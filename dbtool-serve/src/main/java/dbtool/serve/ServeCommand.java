package dbtool.serve;

import dbtool.core.ExitCodes;
import dbtool.core.Signals;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.run.FleetRunner;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool serve}: checks the configured targets on an interval and serves what it saw over
 * HTTP, until SIGTERM (or Ctrl-C) drains it.
 */
public final class ServeCommand implements Command {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String synopsis() {
        return "[options]";
    }

    @Override
    public String summary() {
        return "check targets continuously; serve Prometheus metrics, health and the last reports over HTTP";
    }

    @Override
    public String description() {
        return """
                Checks every configured target (or those with --tag, or this replica's --shard) every --interval, \
                each with the safety settings, credentials and deadline of 'troubleshoot': one connection per \
                target at a time, at most --parallel at once, so a slow or dead target never delays the others. \
                Runs until SIGTERM or Ctrl-C, which lets runs in progress finish (up to %d s) and revokes their \
                credential leases. SIGHUP or POST /-/reload rereads the configuration without a gap in the metrics.
                Endpoints: GET /metrics (Prometheus text or OpenMetrics, from the last runs: a scrape never opens a \
                connection), GET /health (200, or 503 when a target is CRITICAL), GET /ready (200 once every target \
                ran once), GET /api/v1/targets and /api/v1/targets/NAME/report (the last report, same JSON as \
                'troubleshoot --format json'), POST /-/reload.
                It listens on --listen (default %s, loopback only). Beyond loopback, /api and /-/reload need a \
                bearer token or basic auth, read from --token-file or --basic-auth-file (or %s, %s), never from \
                the command line. --tls-cert and --tls-key (PEM, unencrypted PKCS#8 key) serve HTTPS. Request \
                bodies over 1 MiB are refused (413); each request is one JSON line in the access log.
                Exit code: 0 after a clean stop; 64 usage; 78 configuration."""
                .formatted(Serving.DRAIN.toSeconds(), ListenAddress.DEFAULT, ServeSecurity.TOKEN_VARIABLE, ServeSecurity.BASIC_VARIABLE);
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("listen").hasArg().argName("HOST:PORT")
                        .desc("where to serve HTTP (default " + ListenAddress.DEFAULT + "; 0.0.0.0:PORT for every interface, with credentials)").get())
                .addOption(Option.builder().longOpt("interval").hasArg().argName("DURATION")
                        .desc("how often each target is checked: 30s (default), 1m, 5m...").get())
                .addOption(Option.builder().longOpt("tag").hasArg().argName("TAG").desc("only the configured targets with this tag").get())
                .addOption(Option.builder().longOpt("shard").hasArg().argName("I/N")
                        .desc("only the targets whose name hashes to I of N (0-based): run N replicas with 0/N ... N-1/N").get())
                .addOption(Option.builder().longOpt("check").hasArg().argName("IDS")
                        .desc("only these checks or categories, comma separated (default: all)").get())
                .addOption(Option.builder().longOpt("timeout").hasArg().argName("SECONDS")
                        .desc("each run's deadline (default: the configuration's, 10 s)").get())
                .addOption(Option.builder().longOpt("parallel").hasArg().argName("N")
                        .desc("runs in progress at once, across targets (default " + FleetRunner.DEFAULT_PARALLEL + ")").get())
                .addOption(Option.builder().longOpt("token-file").hasArg().argName("FILE")
                        .desc("a file whose first line is the bearer token /api and /alerts require (or " + ServeSecurity.TOKEN_VARIABLE + ")").get())
                .addOption(Option.builder().longOpt("basic-auth-file").hasArg().argName("FILE")
                        .desc("a file whose first line is USER:PASSWORD for basic auth on /api and /alerts (or " + ServeSecurity.BASIC_VARIABLE + ")").get())
                .addOption(Option.builder().longOpt("tls-cert").hasArg().argName("PEM").desc("serve HTTPS with this certificate chain").get())
                .addOption(Option.builder().longOpt("tls-key").hasArg().argName("PEM").desc("the certificate's private key (PKCS#8, unencrypted)").get())
                .addOption(Option.builder().longOpt("access-log").hasArg().argName("FILE")
                        .desc("where the access log goes: - for stderr (default), off for none, or a file to append to").get());
    }

    @Override
    @SuppressWarnings("try") // the resources are held for their close(): handlers restored, the server drained
    public int run(CommandLine line, CommandContext context) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        // Installed before the server starts: a SIGTERM from then on is a drain, never a kill mid-run.
        try (AutoCloseable signals = Signals.on(stop::countDown, "TERM", "INT")) {
            try (Serving serving = Serving.start(line, context)) {
                stop.await();
            } // close(): the drain
        }
        return ExitCodes.OK;
    }
}
