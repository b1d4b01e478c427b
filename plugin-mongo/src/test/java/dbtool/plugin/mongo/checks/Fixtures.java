package dbtool.plugin.mongo.checks;

import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.testkit.mongo.MongoReplies;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/** Recorded replies and a check context for interpretation tests. */
final class Fixtures {

    private Fixtures() {
    }

    static Document reply(String name) {
        return MongoReplies.load(name);
    }

    static CheckContext context() {
        return context(Map.of());
    }

    static CheckContext context(Map<String, String> settings) {
        return new CheckContext() {
            @Override
            public Instant deadline() {
                return Instant.now().plusSeconds(10);
            }

            @Override
            public Map<String, String> settings() {
                return settings;
            }
        };
    }

    static Optional<Finding> finding(CheckResult result, String code) {
        return result.findings().stream().filter(f -> f.code().equals(code)).findFirst();
    }

    static Finding require(CheckResult result, String code) {
        return finding(result, code).orElseThrow(() -> new AssertionError("no " + code + " in " + result.findings()));
    }
}
