package dbtool.plugin.mariadb;

import dbtool.core.report.Report;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.testkit.PluginRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The MariaDB plugin's checks run against a URL the way `dbtool troubleshoot` does, with these tests' defaults. */
final class Troubleshoot {

    private Troubleshoot() {
    }

    static Report run(String url, Map<String, String> thresholds) {
        return run(url, thresholds, Credentials.none(), List.of());
    }

    /** With the plugin's checks followed by extra ones (e.g. a probe that looks at the session afterwards). */
    static Report run(String url, Map<String, String> thresholds, Credentials credentials, List<Check> extraChecks) {
        MariaDbPlugin plugin = new MariaDbPlugin();
        List<Check> checks = new ArrayList<>(plugin.checks());
        checks.addAll(extraChecks);
        return PluginRun.run(plugin, url, credentials, thresholds, Duration.ofSeconds(10), checks);
    }
}
