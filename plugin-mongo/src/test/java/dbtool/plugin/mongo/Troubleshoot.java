package dbtool.plugin.mongo;

import dbtool.core.report.Report;
import dbtool.spi.Credentials;
import dbtool.testkit.PluginRun;
import java.time.Duration;
import java.util.Map;

/** The MongoDB plugin's checks run against a URL the way `dbtool troubleshoot` does, with these tests' defaults. */
final class Troubleshoot {

    private Troubleshoot() {
    }

    static Report run(String url) {
        return PluginRun.run(new MongoPlugin(), url, Credentials.none(), Map.of(), Duration.ofSeconds(10));
    }
}
