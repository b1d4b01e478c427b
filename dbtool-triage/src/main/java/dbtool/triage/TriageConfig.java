package dbtool.triage;

import com.google.gson.JsonObject;
import dbtool.core.config.Config;
import dbtool.spi.Redaction;
import dbtool.triage.send.EmailReceiver;
import dbtool.triage.send.GitHubReceiver;
import dbtool.triage.send.JiraReceiver;
import dbtool.triage.send.PagerDutyReceiver;
import dbtool.triage.send.Receiver;
import dbtool.triage.send.SlackReceiver;
import dbtool.triage.send.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code "triage"} block: severity rules and tiers, incident windows, routes and receivers
 * (docs/triage.md has a complete example).
 *
 * @param tiers        each tier and the target tags that mean it (default: prod = prod/production, staging, dev = dev/test)
 * @param windows      repeat window (4h), group window (5m; "0s" turns grouping off), quiet period (10m)
 * @param playbookBase where playbook paths point ("" keeps the path)
 */
public record TriageConfig(SeverityRules rules, Map<String, List<String>> tiers, IncidentBook.Windows windows, Routes routes,
                           Map<String, Receiver> receivers, String playbookBase) {

    static final Map<String, List<String>> DEFAULT_TIERS = defaultTiers();

    private static Map<String, List<String>> defaultTiers() {
        Map<String, List<String>> tiers = new LinkedHashMap<>();
        tiers.put("prod", List.of("prod", "production"));
        tiers.put("staging", List.of("staging"));
        tiers.put("dev", List.of("dev", "test"));
        return tiers;
    }

    /** The block, or empty when the configuration has none (triage is then not configured). */
    public static Optional<TriageConfig> of(Config config) {
        if (config.section("triage").isEmpty()) {
            return Optional.empty();
        }
        Block triage = Block.of(config, "triage", config.section("triage").get());
        triage.only("severity", "tiers", "incidents", "routes", "receivers", "playbookBase");
        SeverityRules rules = triage.has("severity") ? SeverityRules.of(triage.object("severity").only("rules")) : SeverityRules.DEFAULTS;
        Map<String, List<String>> tiers = DEFAULT_TIERS;
        if (triage.has("tiers")) {
            Block tierBlock = triage.object("tiers");
            tiers = new LinkedHashMap<>();
            for (String tier : tierBlock.json().keySet()) {
                tiers.put(tier, tierBlock.strings(tier));
            }
        }
        Block incidents = triage.has("incidents") ? triage.object("incidents").only("repeatWindow", "groupWindow", "quietPeriod")
                : Block.of(config, "triage.incidents", new JsonObject());
        IncidentBook.Windows windows = new IncidentBook.Windows(incidents.duration("repeatWindow", Duration.ofHours(4)),
                incidents.duration("groupWindow", Duration.ofMinutes(5)), incidents.duration("quietPeriod", Duration.ofMinutes(10)));
        if (!triage.has("receivers")) {
            throw triage.fail("receivers", "missing; name at least one receiver (slack, email, pagerduty, webhook, github, jira)");
        }
        Block receiverBlock = triage.object("receivers");
        Map<String, Receiver> receivers = new LinkedHashMap<>();
        for (String name : receiverBlock.json().keySet()) {
            receivers.put(name, receiver(name, receiverBlock.object(name)));
        }
        if (!triage.has("routes")) {
            throw triage.fail("routes", "missing; e.g. {\"receiver\": \"" + receivers.keySet().iterator().next() + "\"}");
        }
        Routes routes = Routes.of(triage.object("routes"), receivers.keySet());
        return Optional.of(new TriageConfig(rules, Map.copyOf(tiers), windows, routes, Map.copyOf(receivers),
                triage.string("playbookBase", "")));
    }

    static Receiver receiver(String name, Block block) {
        String type = block.required("type");
        return switch (type) {
            case "slack" -> {
                block.only("type", "url");
                yield new SlackReceiver(name, SecretRef.of(block, "url"));
            }
            case "pagerduty" -> {
                block.only("type", "routingKey", "url");
                yield new PagerDutyReceiver(name, SecretRef.of(block, "routingKey"), plainUrl(block, "url", PagerDutyReceiver.EVENTS_API));
            }
            case "webhook" -> {
                block.only("type", "url", "hmacKey");
                boolean secretUrl = block.has("url") && block.json().get("url").isJsonObject();
                yield new WebhookReceiver(name, secretUrl ? null : plainUrl(block, "url", null), secretUrl ? SecretRef.of(block, "url") : null,
                        SecretRef.of(block, "hmacKey"));
            }
            case "email" -> {
                block.only("type", "host", "port", "from", "to", "user", "password", "starttls", "caFile");
                int port = block.has("port") ? (int) block.number("port") : 587;
                if (port < 1 || port > 65535) {
                    throw block.fail("port", "expected a port from 1 to 65535");
                }
                List<String> to = block.strings("to");
                if (to.isEmpty()) {
                    throw block.fail("to", "missing; expected one address or a list");
                }
                String user = block.string("user", null);
                if (user != null && !block.has("password")) {
                    throw block.fail("password", "missing; with \"user\", name where the password is ({\"env\": \"SMTP_PASSWORD\"})");
                }
                yield new EmailReceiver(name, block.required("host"), port, block.required("from"), to, user,
                        user == null ? null : SecretRef.of(block, "password"), block.bool("starttls", true),
                        block.has("caFile") ? Path.of(block.required("caFile")) : null);
            }
            case "github" -> {
                block.only("type", "repository", "token", "api", "labels", "closeOnResolve");
                String repository = block.required("repository");
                if (!repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                    throw block.fail("repository", "expected OWNER/NAME, got \"" + repository + "\"");
                }
                yield new GitHubReceiver(name, repository, SecretRef.of(block, "token"), plainUrl(block, "api", "https://api.github.com"),
                        block.strings("labels"), block.bool("closeOnResolve", false));
            }
            case "jira" -> {
                block.only("type", "url", "project", "issueType", "user", "token");
                yield new JiraReceiver(name, plainUrl(block, "url", null), block.required("project"), block.string("issueType", "Task"),
                        block.required("user"), SecretRef.of(block, "token"));
            }
            default -> throw block.fail("type", "expected slack, email, pagerduty, webhook, github or jira, got \"" + type + "\"");
        };
    }

    /** A URL that is not a secret: http(s), and no credentials in it. */
    private static String plainUrl(Block block, String field, String fallback) {
        String url = block.string(field, fallback);
        if (url == null) {
            throw block.fail(field, "missing; expected an https:// URL");
        }
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw block.fail(field, "expected an http:// or https:// URL, got \"" + Redaction.redact(url) + "\"");
        }
        if (!Redaction.secrets(url).isEmpty() || url.matches("https?://[^/]*@.*")) {
            throw block.fail(field, "holds a credential: name it with {\"env\": \"NAME\"} or {\"vault\": \"secret/path#field\"} instead");
        }
        return url;
    }
}
