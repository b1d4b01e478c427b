package dbtool.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    static final Path FILE = Path.of("/etc/dbtool/config.json");

    @Test
    void readsCommentsAndAllFields() {
        Config config = ConfigLoader.parse(FILE, new StringReader("""
                // dbtool
                {
                  "defaults": {"timeout": 2.5, "format": "JSON", "thresholds": {"long_query_seconds": 30}},
                  "vault": {"address": "https://vault:8200", "namespace": "dba"},
                  "targets": {
                    /* the orders database */
                    "orders": {"url": "postgresql://db1:5432/orders", "tags": ["prod", "orders"],
                               "auth": {"method": "vault", "secret": "database/creds/ro"},
                               "thresholds": {"long_query_seconds": 10}, "options": {"sslmode": "require"}}
                  }
                }
                """));
        assertEquals(Duration.ofMillis(2500), config.defaults().timeout());
        assertEquals("json", config.defaults().format());
        assertEquals("30", config.defaults().thresholds().get("long_query_seconds"));
        assertEquals("dba", config.vault().get("namespace"));
        TargetConfig orders = config.target("orders").orElseThrow();
        assertEquals("postgresql://db1:5432/orders", orders.url());
        assertEquals(List.of("prod", "orders"), orders.tags());
        assertEquals("vault", orders.auth().get("method"));
        assertEquals("require", orders.options().get("sslmode"));
    }

    @Test
    void missingFileMeansDefaults(@TempDir Path dir) {
        Config config = ConfigLoader.load(dir.resolve("nope.json"));
        assertTrue(config.targets().isEmpty());
        assertEquals(Duration.ofSeconds(10), config.defaults().timeout());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unterminated object   | {\"targets\": {\"a\": {\"url\": \"postgresql://h/d\"}   | /etc/dbtool/config.json:1:                      | invalid JSON",
        "unknown top field     | {\"target\": {}}                                       | /etc/dbtool/config.json:1:10: target:             | unknown field; expected one of alerts, defaults, grafana, prometheus, state, targets, tracing, triage, vault",
        "missing url           | {\"targets\": {\"a\": {\"tags\": [\"x\"]}}}              | /etc/dbtool/config.json:1:17: targets.a:        | missing \"url\"",
        "url not a URL         | {\"targets\": {\"a\": {\"url\": \"db1\"}}}               | /etc/dbtool/config.json:1:25: targets.a.url:    | expected a URL such as postgresql://host:5432/db",
        "timeout not a number  | {\"defaults\": {\"timeout\": \"ten\"}}                   | /etc/dbtool/config.json:1:24: defaults.timeout: | expected a number of seconds",
        "bad format            | {\"defaults\": {\"format\": \"xml\"}}                    | /etc/dbtool/config.json:1:23: defaults.format:  | expected \"text\" or \"json\"",
        "targets not an object | {\"targets\": [1]}                                     | /etc/dbtool/config.json:1:14: targets:          | expected an object of target names",
        "tags not a list       | {\"targets\": {\"a\": {\"url\": \"postgresql://h/d\", \"tags\": \"prod\"}}} | targets.a.tags:       | expected an array of strings",
    })
    void errorsNameFilePositionFieldAndExpectation(String name, String json, String where, String what) {
        DbtoolException error = assertThrows(DbtoolException.class, () -> ConfigLoader.parse(FILE, new StringReader(json)));
        assertEquals(78, error.exitCode());
        assertTrue(error.getMessage().contains(where.strip()), error.getMessage());
        assertTrue(error.getMessage().contains(what.strip()), error.getMessage());
        assertEquals(1, error.getMessage().lines().count(), "one line");
    }

    @Test
    void duplicateTargetIsRejected() {
        DbtoolException error = assertThrows(DbtoolException.class, () -> ConfigLoader.parse(FILE, new StringReader(
                "{\"targets\": {\"a\": {\"url\": \"postgresql://h/d\"}, \"a\": {\"url\": \"postgresql://h/e\"}}}")));
        assertTrue(error.getMessage().contains("targets.a: the target is defined twice"), error.getMessage());
    }

    @Test
    void anEmptyOrCommentOnlyFileMeansDefaults(@TempDir Path dir) throws Exception {
        for (String text : List.of("", "  \n", "// targets come later\n/* nothing yet */\n")) {
            Path file = java.nio.file.Files.writeString(dir.resolve("config.json"), text);
            Config config = ConfigLoader.load(file);
            assertTrue(config.targets().isEmpty(), text);
            assertEquals(Duration.ofSeconds(10), config.defaults().timeout(), text);
        }
    }

    @Test
    void errorsOfARealFileNameItsPathAndTheLineOfTheMistake(@TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("config.json"), """
                {
                  // two targets
                  "targets": {
                    "orders": {"url": "postgresql://db1/orders"}
                    "billing": {"url": "postgresql://db2/billing"}
                  }
                }
                """);
        DbtoolException error = assertThrows(DbtoolException.class, () -> ConfigLoader.load(file));
        assertEquals(78, error.exitCode());
        assertTrue(error.getMessage().startsWith(file + ":5:"), error.getMessage());
        assertTrue(error.getMessage().contains("invalid JSON"), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown target field  | {\"targets\": {\"a\": {\"url\": \"postgresql://h/d\", \"colour\": 1}}} | 1:55: targets.a.colour: | unknown field; expected one of auth, description, options, tags, thresholds, url",
        "unknown defaults field| {\"defaults\": {\"timout\": 5}}                                         | 1:23: defaults.timout:  | unknown field; expected one of format, thresholds, timeout",
        "timeout out of range  | {\"defaults\": {\"timeout\": 0}}                                         | 1:24: defaults.timeout: | expected a number of seconds between 0 and 3600",
        "name looks like a URL | {\"targets\": {\"postgresql://h/d\": {\"url\": \"postgresql://h/d\"}}}   | targets.postgresql://h/d: | a target name must be non-empty, without spaces and not look like a URL",
        "target not an object  | {\"targets\": {\"a\": \"postgresql://h/d\"}}                               | 1:20: targets.a:        | expected an object with at least \"url\", got a string",
        "not an object at all  | [1, 2]                                                                 | 1:2:                    | expected an object with \"targets\", \"defaults\" or \"vault\", got an array",
        "content after the end | {\"targets\": {}} {}                                                     | 1:                      | unexpected content after the end of the configuration object",
    })
    void moreMistakesNamePositionFieldAndExpectation(String name, String json, String where, String what) {
        DbtoolException error = assertThrows(DbtoolException.class, () -> ConfigLoader.parse(FILE, new StringReader(json)));
        assertEquals(78, error.exitCode());
        assertTrue(error.getMessage().startsWith(FILE + ":"), error.getMessage());
        assertTrue(error.getMessage().contains(where.strip()), error.getMessage());
        assertTrue(error.getMessage().contains(what.strip()), error.getMessage());
        assertEquals(1, error.getMessage().lines().count(), "one line");
    }

    @Test
    void targetsKeepTheirFileOrderAndDefaultsApplyWhenAbsent() {
        Config config = ConfigLoader.parse(FILE, new StringReader("""
                {"targets": {"zeta": {"url": "postgresql://z/db"}, "alpha": {"url": "mongodb://a/db"}}}
                """));
        assertEquals(List.of("zeta", "alpha"), List.copyOf(config.targets().keySet()));
        assertEquals("text", config.defaults().format());
        assertEquals(FILE, config.source());
    }

    @Test
    void aUrlWithoutSchemeIsAnErrorThatMasksItsPassword() {
        DbtoolException error = assertThrows(DbtoolException.class, () -> ConfigLoader.parse(FILE,
                new StringReader("{\"targets\": {\"a\": {\"url\": \"monitor:NearMissS3cret@db1/shop\"}}}")));
        assertEquals(78, error.exitCode());
        assertTrue(error.getMessage().endsWith("got \"monitor:****@db1/shop\""), error.getMessage());
    }
}
