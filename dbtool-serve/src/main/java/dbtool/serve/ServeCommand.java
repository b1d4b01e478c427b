package dbtool.serve;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.serve.http.HttpService;
import dbtool.serve.http.Response;
import dbtool.serve.http.Route;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool serve}: runs until SIGTERM (or Ctrl-C), serving HTTP on a loopback port of its own.
 */
public final class ServeCommand implements Command {

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
                Runs until stopped (SIGTERM or Ctrl-C), serving HTTP on --listen (default %s, loopback only).
                Beyond loopback, /api, /alerts and /-/reload need a bearer token or basic auth, read from \
                --token-file or --basic-auth-file (or %s, %s), never from the command line.
                --tls-cert and --tls-key (PEM, unencrypted PKCS#8 key) serve HTTPS.
                Request bodies over 1 MiB are refused (413); each request is one JSON line in the access log \
                (stderr, or --access-log FILE).
                Exit code: 0 after a clean stop; 64 usage; 78 configuration."""
                .formatted(ListenAddress.DEFAULT, ServeSecurity.TOKEN_VARIABLE, ServeSecurity.BASIC_VARIABLE);
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("listen").hasArg().argName("HOST:PORT")
                        .desc("where to serve HTTP (default " + ListenAddress.DEFAULT + "; 0.0.0.0:PORT for every interface, with credentials)").get())
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
    public int run(CommandLine line, CommandContext context) throws Exception {
        ListenAddress listen = ListenAddress.parse(line.getOptionValue("listen", ListenAddress.DEFAULT));
        ServeSecurity security = ServeSecurity.from(line, context.environment(), listen);
        Consumer<String> accessLog = AccessLog.open(line.getOptionValue("access-log", "-"), context.err());
        Consumer<String> errorLog = message -> context.err().println("dbtool serve: " + message);
        HttpService http;
        try {
            http = new HttpService(listen.socket(), security.tls(), security.auth(), accessLog, errorLog);
        } catch (BindException e) {
            throw new DbtoolException(ExitCodes.CANT_CREATE, "--listen " + listen.socket().getHostString() + ":" + listen.socket().getPort()
                    + ": cannot listen there (" + e.getMessage() + ")");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        http.add(routes());
        http.start();
        context.err().println("dbtool serve: listening on " + (security.tls() == null ? "http" : "https") + "://"
                + http.address().getHostString() + ":" + http.address().getPort() + ", credentials for /api and /alerts: " + security.auth());
        Thread hook = new Thread(() -> {
            http.stop(1);
            stopped.countDown();
        }, "dbtool-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
        return ExitCodes.OK;
    }

    /** The endpoints; alert intake and incidents add theirs here. */
    private static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.get("/ready", Route.Access.PUBLIC, request -> Response.text(200, "ready\n")));
        return routes;
    }
}
