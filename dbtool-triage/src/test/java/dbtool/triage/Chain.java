package dbtool.triage;

import dbtool.core.Environment;
import dbtool.core.cli.CommandContext;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.plugin.postgres.PostgresPlugin;
import dbtool.plugin.postgres.demo.Incident;
import dbtool.plugin.postgres.demo.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A throwaway PostgreSQL whose database {@code orders} has a blocking chain, and a configuration naming it as target {@code orders}. */
final class Chain implements AutoCloseable {

    final LocalCluster cluster;
    final Incident incident;
    final int headPid;

    private Chain(LocalCluster cluster, Incident incident, int headPid) {
        this.cluster = cluster;
        this.incident = incident;
        this.headPid = headPid;
    }

    static Chain start(int depth) throws Exception {
        LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.defaults());
        try {
            cluster.execute("postgres", "CREATE DATABASE orders");
            Incident incident = new Incident(cluster, "orders");
            return new Chain(cluster, incident, incident.blockingChain("accounts", depth));
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Writes {@code home/config.json}: target orders (tags prod) and {@code extra} blocks. */
    void writeConfig(Path home, String extra) throws Exception {
        Files.writeString(home.resolve("config.json"), "{\"targets\": {\"orders\": {\"url\": \"" + cluster.url("orders")
                + "\", \"tags\": [\"prod\"]}}" + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    /** The blocker and its waiters end: their sessions close. */
    void end() {
        incident.close();
    }

    @Override
    public void close() {
        incident.close();
        cluster.close();
    }

    /** A command context as {@code dbtool} builds it, with the real PostgreSQL plugin (tests run on the class path). */
    static CommandContext context(Path home, Map<String, String> env, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        Map<String, String> variables = new HashMap<>();
        variables.put("DBTOOL_CONFIG", home.resolve("config.json").toString());
        variables.put("XDG_DATA_HOME", home.resolve("data").toString());
        variables.put("DBTOOL_PLUGIN_PATH", home.toString());
        variables.putAll(env);
        Environment environment = new Environment(variables, home, "Linux", null);
        CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        PluginDirectory directory = new PluginDirectory("postgresql", home, "bundle", Optional.empty());
        return context.withPlugins(PluginRegistry.ofLoaded(List.of(new LoadedPlugin(directory, List.of("dbtool.plugin.postgres"),
                List.of(new PostgresPlugin()), List.of(), List.of(), List.of(), List.of(), Optional.empty()))));
    }
}
