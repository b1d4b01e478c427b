package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import dbtool.core.config.TargetConfig;
import dbtool.core.plugin.PluginRegistry;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Redaction;
import dbtool.spi.Target;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns what the user typed (a configured name or a URL) into a target and its plugin. */
public final class TargetResolver {

    private final Config config;
    private final PluginRegistry plugins;

    public TargetResolver(Config config, PluginRegistry plugins) {
        this.config = config;
        this.plugins = plugins;
    }

    public ResolvedTarget resolve(String nameOrUrl) {
        if (TargetUrls.isUrl(nameOrUrl)) {
            URI uri = TargetUrls.parse(nameOrUrl);
            EnginePlugin plugin = pluginFor(uri, "'" + Redaction.redact(nameOrUrl) + "'");
            Target target = TargetUrls.target(Redaction.redact(nameOrUrl.trim()), uri, plugin.id(), List.of(), Map.of());
            DeclaredThresholds.validate(config, null, target.name(), Map.of(), plugin, this::allEngines);
            return new ResolvedTarget(target, plugin, Map.of(), config.defaults().thresholds(), null);
        }
        TargetConfig configured = config.target(nameOrUrl).orElseThrow(() -> unknownTarget(nameOrUrl));
        URI uri;
        try {
            uri = TargetUrls.parse(configured.url());
        } catch (DbtoolException e) {
            throw DbtoolException.config(source() + ": targets." + configured.name() + ".url: " + e.getMessage());
        }
        EnginePlugin plugin;
        try {
            plugin = pluginFor(uri, "target '" + configured.name() + "'");
        } catch (DbtoolException e) {
            throw DbtoolException.config(source() + ": targets." + configured.name() + ".url: " + e.getMessage());
        }
        Target target = TargetUrls.target(configured.name(), uri, plugin.id(), configured.tags(), configured.options());
        DeclaredThresholds.validate(config, configured.name(), configured.name(), configured.thresholds(), plugin, this::allEngines);
        Map<String, String> thresholds = new HashMap<>(config.defaults().thresholds());
        thresholds.putAll(configured.thresholds());
        return new ResolvedTarget(target, plugin, configured.auth(), thresholds, configured);
    }

    private List<EnginePlugin> allEngines() {
        return plugins.loadAll().stream().flatMap(p -> p.engines().stream()).toList();
    }

    private EnginePlugin pluginFor(URI uri, String what) {
        String scheme = TargetUrls.scheme(uri);
        return plugins.engineForScheme(scheme).orElseThrow(() -> plugins.loadFailure(scheme + "://", scheme).orElseGet(() -> {
            List<String> known = plugins.knownSchemes();
            return DbtoolException.usage("no plugin handles URL scheme '" + scheme + "://' of " + what
                    + Suggestions.didYouMean(scheme, known) + "; installed plugins handle: "
                    + (known.isEmpty() ? "nothing (no plugins found; see 'dbtool plugins')"
                    : String.join(", ", known.stream().map(s -> s + "://").toList())) + plugins.failedPluginsHint());
        }));
    }

    private DbtoolException unknownTarget(String name) {
        // Not understood is not harmless: 'u:pw@host/db' or 'host=h password=pw' are near misses of a URL.
        String shown = "unknown target '" + Redaction.redact(name) + "'";
        if (name.matches("(?s).*[@/=:].*")) {
            return DbtoolException.usage(shown + ": neither a configured target nor a URL; a URL starts with its scheme,"
                    + " such as postgresql://host:5432/db");
        }
        if (config.targets().isEmpty()) {
            return DbtoolException.usage(shown + ": no targets are configured"
                    + (config.source() == null ? "" : " in " + config.source())
                    + "; give a URL such as postgresql://host:5432/db, or add the target to the configuration");
        }
        return DbtoolException.usage(shown + Suggestions.didYouMean(name, config.targets().keySet())
                + "; 'dbtool targets' lists the configured ones");
    }

    private String source() {
        return config.source() == null ? "configuration" : config.source().toString();
    }
}
