package dbtool.serve.alert;

import dbtool.core.config.Config;
import dbtool.core.config.TargetConfig;
import dbtool.core.run.TargetUrls;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * From an alert's labels to the target to troubleshoot and the checks to run.
 *
 * <p>The target, first found wins: the {@code dbtool_target} label naming a configured target; the
 * first rule that matches and names one; the {@code server} or {@code instance} label
 * ({@code host:port}, as postgres_exporter and most exporters set them) equal to a configured target's
 * host and port, or its host alone when one target lives there ({@code datname} picks among several
 * databases); the {@code job} label equal to a target's name. A URL in {@code dbtool_target} is taken
 * only when URLs are allowed (the {@code dbtool alert} command, whose user chose the payload): a
 * webhook must not make dbtool connect, with the credentials it fetches, to a host the sender names.
 *
 * <p>The checks: the first matching rule that names some; else the built-in table's row for the
 * alert name; else every check.
 */
public final class AlertRouter {

    public static final String TARGET_LABEL = "dbtool_target";

    private final Config config;
    private final AlertsConfig alerts;
    private final boolean allowUrls;

    public AlertRouter(Config config, AlertsConfig alerts, boolean allowUrls) {
        this.config = config;
        this.alerts = alerts;
        this.allowUrls = allowUrls;
    }

    /**
     * Where an alert goes.
     *
     * @param target    a configured target name or, when allowed, a URL; null when none was found
     * @param checks    ids and categories to run; empty for every check
     * @param builtIn   whether {@code checks} came from the built-in table, whose names a plugin may lack
     * @param reason    how the target was found, or why none was
     */
    public record Route(String target, List<String> checks, boolean builtIn, String reason) {
    }

    public Route route(Alert alert) {
        Map<String, String> labels = alert.labels();
        AlertsConfig.Rule checkRule = alerts.rules().stream().filter(r -> !r.checks().isEmpty() && r.matches(labels)).findFirst().orElse(null);
        List<String> checks;
        boolean builtIn = false;
        if (checkRule != null) {
            checks = checkRule.checks();
        } else {
            BuiltInAlerts.Entry entry = BuiltInAlerts.find(alert.name()).orElse(null);
            checks = entry == null ? List.of() : entry.checks();
            builtIn = entry != null;
        }
        String explicit = labels.get(TARGET_LABEL);
        if (explicit != null && !explicit.isBlank()) {
            if (config.target(explicit).isPresent() || allowUrls && TargetUrls.isUrl(explicit)) {
                return new Route(explicit, checks, builtIn, "label " + TARGET_LABEL);
            }
            return new Route(null, checks, builtIn, "label " + TARGET_LABEL + "=" + explicit + " names no configured target"
                    + (TargetUrls.isUrl(explicit) ? " (URLs from a webhook are not followed; configure the target)" : ""));
        }
        for (AlertsConfig.Rule rule : alerts.rules()) {
            if (rule.target() != null && rule.matches(labels)) {
                return new Route(rule.target(), checks, builtIn, "rule alerts.rules[" + rule.index() + "]");
            }
        }
        for (String label : List.of("server", "instance")) {
            String value = labels.get(label);
            if (value != null) {
                String found = byAddress(value, labels.get("datname"));
                if (found != null) {
                    return new Route(found, checks, builtIn, "label " + label);
                }
            }
        }
        String job = labels.get("job");
        if (job != null && config.target(job).isPresent()) {
            return new Route(job, checks, builtIn, "label job");
        }
        return new Route(null, checks, builtIn, "no rule matched and no label (" + TARGET_LABEL + ", server, instance, job)"
                + " names a configured target");
    }

    /** The configured target at {@code host:port}, or the only one on {@code host}; datname narrows. */
    private String byAddress(String address, String database) {
        String host = address;
        int port = -1;
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(']') < colon) {
            host = address.substring(0, colon);
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        host = host.replaceAll("^\\[|]$", "").toLowerCase(Locale.ROOT);
        List<String> exact = new ArrayList<>();
        List<String> sameHost = new ArrayList<>();
        for (TargetConfig target : config.targets().values()) {
            URI uri;
            try {
                uri = TargetUrls.parse(target.url());
            } catch (RuntimeException e) {
                continue; // a broken URL is reported when that target is used
            }
            String targetHost = TargetUrls.host(uri);
            if (targetHost == null || !targetHost.replaceAll("^\\[|]$", "").toLowerCase(Locale.ROOT).equals(host)) {
                continue;
            }
            if (database != null && !database.equals(TargetUrls.database(uri))) {
                continue;
            }
            sameHost.add(target.name());
            if (port > 0 && uri.getPort() == port) {
                exact.add(target.name());
            }
        }
        if (exact.size() == 1) {
            return exact.getFirst();
        }
        return exact.isEmpty() && sameHost.size() == 1 ? sameHost.getFirst() : null;
    }
}
