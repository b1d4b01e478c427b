package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import dbtool.core.config.ConfigLoader;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginDirectory.PluginManifest;
import dbtool.core.plugin.PluginRegistry;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.Threshold;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A threshold in the configuration that no check declares, or of the wrong type, is refused with
 * one line naming the file (and position), the field, the target and a did-you-mean, exit 78,
 * instead of the check silently using its default.
 */
class DeclaredThresholdsTest {

    static final Path FILE = Path.of("/etc/dbtool/config.json");
    static final Threshold LONG_QUERY = Threshold.number("long_query_seconds", 60, "s", "WARNING from this long");
    static final Threshold SCOPE = Threshold.choice("session_scope", List.of("cluster", "database"), "which sessions");
    static final Threshold OPLOG = Threshold.number("oplog_window_warning_hours", 24, "h", "WARNING below this window");

    private static Check declaring(String id, Threshold... thresholds) {
        return new Check() {
            public String id() {
                return id;
            }

            public String category() {
                return "queries";
            }

            public String description() {
                return id;
            }

            public List<Threshold> thresholds() {
                return List.of(thresholds);
            }

            public CheckResult run(EngineSession session, CheckContext context) {
                return new CheckResult(List.of(), Map.of());
            }
        };
    }

    private static LoadedPlugin loaded(String id, String scheme, Check... checks) {
        EnginePlugin engine = new EnginePlugin() {
            public String id() {
                return id;
            }

            public String displayName() {
                return id;
            }

            public Set<String> schemes() {
                return Set.of(scheme);
            }

            public int defaultPort() {
                return 1;
            }

            public List<Check> checks() {
                return List.of(checks);
            }

            public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
                throw new UnsupportedOperationException("not opened in these tests");
            }
        };
        return new LoadedPlugin(new PluginDirectory(id, Path.of("/plugins/" + id), "bundle",
                Optional.of(new PluginManifest(id, List.of(scheme)))), List.of(), List.of(engine),
                List.of(), List.of(), List.of(), List.of(), Optional.empty());
    }

    private static final PluginRegistry PLUGINS = PluginRegistry.ofLoaded(List.of(
            loaded("postgresql", "postgresql", declaring("long-queries", LONG_QUERY), declaring("blocking", SCOPE)),
            loaded("mongodb", "mongodb", declaring("oplog-window", OPLOG))));

    private static ResolvedTarget resolve(String json, String typed) {
        Config config = ConfigLoader.parse(FILE, new StringReader(json));
        return new TargetResolver(config, PLUGINS).resolve(typed);
    }

    private static DbtoolException fails(String json, String typed) {
        return assertThrows(DbtoolException.class, () -> resolve(json, typed));
    }

    @Test
    void anEngineThatDeclaresNoThresholdsReadsItsOwnAsBefore() {
        // A plugin written before Check.thresholds() reads its thresholds with CheckContext.number:
        // dbtool has nothing to check them against, so they reach it as they did in SPI 1.0.
        PluginRegistry plugins = PluginRegistry.ofLoaded(List.of(
                loaded("postgresql", "postgresql", declaring("long-queries", LONG_QUERY)),
                loaded("legacy", "legacy", declaring("old-style"))));
        Config config = ConfigLoader.parse(FILE, new StringReader("""
                {"defaults": {"thresholds": {"legacy_limit": 3}},
                 "targets": {"old": {"url": "legacy://db1/x", "thresholds": {"legacy_ratio": 0.5}},
                             "orders": {"url": "postgresql://db1/orders"}}}
                """));
        ResolvedTarget old = new TargetResolver(config, plugins).resolve("old");
        assertEquals("0.5", old.thresholds().get("legacy_ratio"));
        assertEquals("3", old.thresholds().get("legacy_limit"));
        assertEquals("3", new TargetResolver(config, plugins).resolve("orders").thresholds().get("legacy_limit"),
                "a default that an undeclaring engine may read is no mistake on the others' targets");
    }

    @Test
    void aMisspeltTargetThresholdNamesFilePositionTargetAndTheClosestName() {
        DbtoolException error = fails("""
                {"targets": {"orders": {"url": "postgresql://db1/orders",
                  "thresholds": {"long_query_secs": 30}}}}
                """, "orders");
        assertEquals(78, error.exitCode());
        assertEquals("/etc/dbtool/config.json:2:35: targets.orders.thresholds.long_query_secs: no postgresql check has this threshold"
                + " (did you mean 'long_query_seconds'?); 'dbtool checks postgresql' lists them", error.getMessage());
    }

    @Test
    void anotherEnginesThresholdOnATargetIsRefused() {
        DbtoolException error = fails("""
                {"targets": {"orders": {"url": "postgresql://db1/orders", "thresholds": {"oplog_window_warning_hours": 2}}}}
                """, "orders");
        assertEquals(78, error.exitCode());
        assertEquals(true, error.getMessage().contains("targets.orders.thresholds.oplog_window_warning_hours: no postgresql check"),
                error.getMessage());
    }

    @Test
    void aValueThatIsNotANumberIsRefusedWithItsUnit() {
        DbtoolException error = fails("""
                {"targets": {"orders": {"url": "postgresql://db1/orders", "thresholds": {"long_query_seconds": "1 min"}}}}
                """, "orders");
        assertEquals(78, error.exitCode());
        assertEquals("/etc/dbtool/config.json:1:94: targets.orders.thresholds.long_query_seconds: expected a number (s), got \"1 min\"",
                error.getMessage());
        assertEquals("/etc/dbtool/config.json:1:94: targets.orders.thresholds.long_query_seconds: expected a number (s), got \"true\"",
                fails("""
                        {"targets": {"orders": {"url": "postgresql://db1/orders", "thresholds": {"long_query_seconds": true}}}}
                        """, "orders").getMessage());
    }

    @Test
    void aChoiceAcceptsOnlyItsWords() {
        assertEquals("/etc/dbtool/config.json:1:89: targets.orders.thresholds.session_scope: expected one of cluster, database, got \"server\"",
                fails("""
                        {"targets": {"orders": {"url": "postgresql://db1/orders", "thresholds": {"session_scope": "server"}}}}
                        """, "orders").getMessage());
        assertEquals(Map.of("session_scope", "Cluster"), resolve("""
                {"targets": {"orders": {"url": "postgresql://db1/orders", "thresholds": {"session_scope": "Cluster"}}}}
                """, "orders").thresholds());
    }

    @Test
    void aDefaultMeantForAnotherEngineIsAcceptedAndOneNoEngineKnowsIsRefused() {
        ResolvedTarget resolved = resolve("""
                {"defaults": {"thresholds": {"oplog_window_warning_hours": 12, "long_query_seconds": 120}},
                 "targets": {"orders": {"url": "postgresql://db1/orders"}}}
                """, "orders");
        assertEquals("120", resolved.thresholds().get("long_query_seconds"));
        DbtoolException error = fails("""
                {"defaults": {"thresholds": {"oplog_window_warnng_hours": 12}},
                 "targets": {"orders": {"url": "postgresql://db1/orders"}}}
                """, "orders");
        assertEquals(78, error.exitCode());
        assertEquals("/etc/dbtool/config.json:1:57: defaults.thresholds.oplog_window_warnng_hours (for target 'orders'):"
                + " no check of an installed engine has this threshold (did you mean 'oplog_window_warning_hours'?);"
                + " 'dbtool checks' lists them", error.getMessage());
    }

    @Test
    void aDefaultOfTheWrongTypeIsRefusedForAUrlTargetToo() {
        DbtoolException error = fails("""
                {"defaults": {"thresholds": {"long_query_seconds": "soon"}}}
                """, "postgresql://db1/orders");
        assertEquals(78, error.exitCode());
        assertEquals("/etc/dbtool/config.json:1:50: defaults.thresholds.long_query_seconds (for target 'postgresql://db1/orders'):"
                + " expected a number (s), got \"soon\"", error.getMessage());
    }

    @Test
    void aTargetValueOverridesABadDefaultAndValidValuesPass() {
        ResolvedTarget resolved = resolve("""
                {"defaults": {"thresholds": {"long_query_seconds": 90}},
                 "targets": {"orders": {"url": "postgresql://db1/orders", "thresholds": {"long_query_seconds": "1.5e2"}}}}
                """, "orders");
        assertEquals("1.5e2", resolved.thresholds().get("long_query_seconds"));
    }
}
