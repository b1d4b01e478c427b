package dbtool.monitoring;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.Version;
import dbtool.core.cli.Command;
import dbtool.core.cli.CommandContext;
import dbtool.core.run.CredentialResolver;
import dbtool.core.run.ResolvedTarget;
import dbtool.monitoring.dashboards.Dashboards;
import dbtool.monitoring.dashboards.GrafanaPush;
import dbtool.monitoring.rules.AlertRule;
import dbtool.monitoring.rules.RuleCatalog;
import dbtool.monitoring.rules.RuleFiles;
import dbtool.spi.Credentials;
import dbtool.spi.Target;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool monitoring dashboards|rules}: Grafana dashboards and Prometheus alerting rules generated from what
 * {@code dbtool serve} exports. Files are written atomically; nothing is written when anything is wrong.
 */
public final class MonitoringCommand implements Command {

    /** Where the Grafana token comes from when the configuration names no Vault secret. */
    public static final String TOKEN_VARIABLE = "DBTOOL_GRAFANA_TOKEN";

    @Override
    public String name() {
        return "monitoring";
    }

    @Override
    public String synopsis() {
        return "dashboards|rules [options]";
    }

    @Override
    public String summary() {
        return "generate Grafana dashboards and Prometheus alerting rules for dbtool serve's metrics";
    }

    @Override
    public String description() {
        return """
                'dashboards' writes Grafana dashboards (JSON model, schemaVersion %d) into --out: a fleet overview and one per \
                engine with a target variable; --push URL imports them through Grafana's HTTP API (POST /api/dashboards/db) \
                with a service account token from the configuration's grafana.auth (a Vault secret) or %s.
                'rules' writes Prometheus alerting rules to --out (and, with --tests, promtool unit tests for every rule). \
                Every rule carries a dbtool_target label and a name dbtool serve's alert intake maps to checks.
                Every query uses only metrics dbtool serve exports in its default configuration. Files are replaced \
                atomically: a reader sees the old file or the new one. --engine limits both to one engine.
                Exit code: 0 done; 64 usage; 73 a file cannot be written; 74 Grafana failed or did not answer; 78 \
                configuration (or a token Grafana refused)."""
                .formatted(Dashboards.SCHEMA_VERSION, TOKEN_VARIABLE);
    }

    @Override
    public int[] arity() {
        return new int[] {1, 1};
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("engine").hasArg().argName("ENGINE")
                        .desc("only this engine: " + String.join(", ", Engines.ALL) + " (default: all)").get())
                .addOption(Option.builder().longOpt("out").hasArg().argName("PATH")
                        .desc("dashboards: the folder to write into; rules: the rule file").get())
                .addOption(Option.builder().longOpt("tests").hasArg().argName("FILE")
                        .desc("rules: also write promtool unit tests for every rule to FILE").get())
                .addOption(Option.builder().longOpt("push").hasArg().argName("URL")
                        .desc("dashboards: import them into the Grafana at URL").get());
    }

    @Override
    public int run(CommandLine line, CommandContext context) throws Exception {
        String what = line.getArgList().getFirst();
        List<String> engines = Engines.select(line.getOptionValue("engine"));
        return switch (what) {
            case "dashboards" -> dashboards(line, context, engines);
            case "rules" -> rules(line, context, engines);
            default -> throw DbtoolException.usage("monitoring " + what + ": unknown; expected 'dashboards' or 'rules'");
        };
    }

    private static int rules(CommandLine line, CommandContext context, List<String> engines) {
        if (line.hasOption("push")) {
            throw DbtoolException.usage("--push: only for 'dashboards'");
        }
        String out = line.getOptionValue("out");
        if (out == null) {
            throw DbtoolException.usage("monitoring rules: --out FILE is required (the rule file to write)");
        }
        List<AlertRule> rules = RuleCatalog.forEngines(engines);
        Path ruleFile = Path.of(out);
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(ruleFile, RuleFiles.rules(rules, Version.get()));
        if (line.hasOption("tests")) {
            Path tests = Path.of(line.getOptionValue("tests"));
            Path folder = tests.toAbsolutePath().getParent();
            files.put(tests, RuleFiles.tests(rules, folder.relativize(ruleFile.toAbsolutePath()).toString()));
        }
        AtomicFiles.write(files, "--out");
        context.out().println("wrote " + rules.size() + " alerting rules for " + String.join(", ", engines) + " to " + out
                + (line.hasOption("tests") ? " and their promtool tests to " + line.getOptionValue("tests") : ""));
        return ExitCodes.OK;
    }

    private static int dashboards(CommandLine line, CommandContext context, List<String> engines) {
        if (line.hasOption("tests")) {
            throw DbtoolException.usage("--tests: only for 'rules'");
        }
        String out = line.getOptionValue("out");
        String push = line.getOptionValue("push");
        if (out == null && push == null) {
            throw DbtoolException.usage("monitoring dashboards: give --out DIR (files to import) or --push URL (a Grafana), or both");
        }
        URI grafana = push == null ? null : GrafanaPush.parse(push);
        Map<String, JsonObject> dashboards = Dashboards.build(engines);
        char[] token = grafana == null ? null : token(context, grafana);
        if (out != null) {
            Map<Path, String> files = new LinkedHashMap<>();
            var gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
            dashboards.forEach((name, json) -> files.put(Path.of(out).resolve(name), gson.toJson((JsonElement) json) + "\n"));
            AtomicFiles.write(files, "--out");
            context.out().println("wrote " + dashboards.size() + " dashboards to " + out);
        }
        if (grafana != null) {
            try {
                List<String> urls = new GrafanaPush(grafana, token).push(new ArrayList<>(dashboards.values()));
                urls.forEach(url -> context.out().println("imported " + url));
            } finally {
                Arrays.fill(token, '\0');
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The Grafana token: from Vault when the configuration has {@code "grafana": {"auth": {"method": "vault", "secret":
     * "secret/data/grafana", "passwordField": "token"}}}, else from {@link #TOKEN_VARIABLE}. Never printed.
     */
    private static char[] token(CommandContext context, URI grafana) {
        JsonElement section = context.config().section("grafana").orElse(null);
        if (section != null && section.isJsonObject() && section.getAsJsonObject().has("auth")) {
            JsonElement auth = section.getAsJsonObject().get("auth");
            if (!auth.isJsonObject()) {
                throw DbtoolException.config(context.config().locate("grafana.auth") + ": expected an object such as "
                        + "{\"method\": \"vault\", \"secret\": \"secret/data/grafana\", \"passwordField\": \"token\"}");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            auth.getAsJsonObject().entrySet().forEach(e -> settings.put(e.getKey(), e.getValue().getAsString()));
            Target target = new Target("grafana", grafana, "grafana", grafana.getHost(), grafana.getPort(), null, List.of(), Map.of());
            CredentialResolver resolver = new CredentialResolver(context.plugins().credentialProviders());
            try (Credentials credentials = resolver.resolve(new ResolvedTarget(target, null, settings, Map.of(), null), false)) {
                return credentials.password().map(char[]::clone).orElseThrow(() -> DbtoolException.config(
                        context.config().locate("grafana.auth") + ": the secret has no token (set passwordField to its field)"));
            }
        }
        return context.environment().get(TOKEN_VARIABLE).filter(t -> !t.isBlank()).map(String::toCharArray)
                .orElseThrow(() -> DbtoolException.config("--push: no Grafana token: set " + TOKEN_VARIABLE
                        + " or name a Vault secret in the configuration's grafana.auth"));
    }
}
