package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import dbtool.spi.Check;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Threshold;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The thresholds an engine's checks declare, and the check of a configuration against them:
 * a key that no check declares, or a value of the wrong type, is a one-line configuration error
 * (exit 78) naming the file, the field and the target, instead of a default silently taking its
 * place.
 */
public final class DeclaredThresholds {

    private DeclaredThresholds() {
    }

    /** The engine's thresholds by name, in check order (a name several checks share appears once). */
    public static Map<String, Threshold> of(EnginePlugin engine) {
        Map<String, Threshold> declared = new LinkedHashMap<>();
        for (Check check : engine.checks()) {
            for (Threshold threshold : check.thresholds()) {
                declared.putIfAbsent(threshold.name(), threshold);
            }
        }
        return declared;
    }

    /**
     * Refuses the target's thresholds that {@code engine} does not declare or that have the wrong
     * type, and the {@code defaults.thresholds} that no installed engine declares.
     *
     * @param target     the configured target's name, or null for a URL typed on the command line
     * @param label      how messages name the target (its name, or the redacted URL)
     * @param own        the target's own thresholds (empty for a URL)
     * @param allEngines every installed engine, asked for only when a default is unknown to {@code engine}
     */
    public static void validate(Config config, String target, String label, Map<String, String> own, EnginePlugin engine,
                                Supplier<Collection<EnginePlugin>> allEngines) {
        Map<String, Threshold> declared = of(engine);
        if (declared.isEmpty()) {
            // A plugin that declares no thresholds (written before Check.thresholds(), which SPI 1.x
            // plugins may be) reads them itself with CheckContext.number: nothing to check against.
            return;
        }
        String lister = "'dbtool checks " + engine.id() + "' lists them";
        for (Map.Entry<String, String> entry : own.entrySet()) {
            String field = "targets." + target + ".thresholds." + entry.getKey();
            Threshold threshold = declared.get(entry.getKey());
            if (threshold == null) {
                throw DbtoolException.config(config.locate(field) + ": no " + engine.id() + " check has this threshold"
                        + Suggestions.didYouMean(entry.getKey(), declared.keySet()) + "; " + lister);
            }
            reject(config, field, "", threshold, entry.getValue());
        }
        String appliesTo = " (for target '" + label + "')";
        for (Map.Entry<String, String> entry : config.defaults().thresholds().entrySet()) {
            if (own.containsKey(entry.getKey())) {
                continue;
            }
            String field = "defaults.thresholds." + entry.getKey();
            Threshold threshold = declared.get(entry.getKey());
            if (threshold != null) {
                reject(config, field, appliesTo, threshold, entry.getValue());
                continue;
            }
            // A default may be meant for another engine's targets: only a name no engine knows is a mistake.
            Map<String, Threshold> everywhere = new LinkedHashMap<>();
            boolean undeclaring = false;
            for (EnginePlugin other : allEngines.get()) {
                Map<String, Threshold> its = of(other);
                undeclaring |= its.isEmpty();
                its.forEach(everywhere::putIfAbsent);
            }
            // An engine that declares none may read any name, so a name unknown elsewhere is no proof of a mistake.
            if (!undeclaring && !everywhere.containsKey(entry.getKey())) {
                throw DbtoolException.config(config.locate(field) + appliesTo + ": no check of an installed engine has this threshold"
                        + Suggestions.didYouMean(entry.getKey(), new TreeSet<>(everywhere.keySet())) + "; 'dbtool checks' lists them");
            }
        }
    }

    private static void reject(Config config, String field, String appliesTo, Threshold threshold, String value) {
        Optional<String> problem = threshold.reject(value);
        if (problem.isPresent()) {
            throw DbtoolException.config(config.locate(field) + appliesTo + ": " + problem.get());
        }
    }
}
