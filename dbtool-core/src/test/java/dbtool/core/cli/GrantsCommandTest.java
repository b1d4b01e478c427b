package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.core.Environment;
import dbtool.core.ExitCodes;
import dbtool.core.plugin.LoadedPlugin;
import dbtool.core.plugin.PluginDirectory;
import dbtool.core.plugin.PluginRegistry;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Grant;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbtool grants ENGINE}: the plugin's declared grants as a commented script or JSON, values checked before they reach SQL. */
class GrantsCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static EnginePlugin engine(String id, List<Grant> grants) {
        return new EnginePlugin() {
            public String id() {
                return id;
            }

            public String displayName() {
                return "Warehouse DB";
            }

            public Set<String> schemes() {
                return Set.of(id);
            }

            public int defaultPort() {
                return 1;
            }

            public List<Check> checks() {
                return List.of();
            }

            public List<Grant> grants() {
                return grants;
            }

            public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
                throw new UnsupportedOperationException();
            }
        };
    }

    static final List<Grant> WAREHOUSE_GRANTS = List.of(
            new Grant("GRANT MONITOR ON ACCOUNT TO ROLE {{role}}", "account-wide history"),
            new Grant("GRANT USAGE ON WAREHOUSE {{warehouse}} TO ROLE {{role}}", "a warehouse to query with"));

    private int run(String... args) {
        Environment environment = new Environment(Map.of("DBTOOL_CONFIG", dir.resolve("none.json").toString(),
                "DBTOOL_PLUGIN_PATH", dir.toString()), dir, "Linux", null);
        try (CommandContext context = new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false)) {
            PluginDirectory directory = new PluginDirectory("engines", dir, "bundle", Optional.empty());
            context.withPlugins(PluginRegistry.ofLoaded(List.of(new LoadedPlugin(directory, List.of("engines"),
                    List.of(engine("wh", WAREHOUSE_GRANTS), engine("bare", List.of())), List.of(), List.of(), List.of(), List.of(),
                    Optional.empty()))));
            return CommandLineInterface.standard().execute(List.of(args), context);
        }
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theScriptHasEachStatementAfterItsReasonWithTheRoleAndValuesFilledIn() {
        assertEquals(ExitCodes.OK, run("grants", "wh", "--role", "DBTOOL_RO", "--set", "warehouse=ETL_WH"), stderr());
        assertEquals("""
                -- dbtool: the least-privilege grants for Warehouse DB, to DBTOOL_RO.
                -- Run as an administrator on a login or role that exists; dbtool creates none and sets no password.

                -- account-wide history
                GRANT MONITOR ON ACCOUNT TO ROLE DBTOOL_RO;

                -- a warehouse to query with
                GRANT USAGE ON WAREHOUSE ETL_WH TO ROLE DBTOOL_RO;
                """, stdout());
    }

    @Test
    void aPlaceholderWithoutAValueStaysAndTheHeaderSaysHowToFillIt() {
        assertEquals(ExitCodes.OK, run("grants", "wh"), stderr());
        assertTrue(stdout().contains("-- Replace {{warehouse}} (or give --set warehouse=NAME).\n"), stdout());
        assertTrue(stdout().contains("GRANT USAGE ON WAREHOUSE {{warehouse}} TO ROLE dbtool_monitor;"), stdout());
    }

    @Test
    void jsonKeepsTheTemplateBesideTheRenderedStatement() {
        assertEquals(ExitCodes.OK, run("grants", "wh", "--format", "json"), stderr());
        JsonObject json = JsonParser.parseString(stdout()).getAsJsonObject();
        assertEquals("wh", json.get("engine").getAsString());
        assertEquals("dbtool_monitor", json.get("role").getAsString());
        JsonObject second = json.getAsJsonArray("statements").get(1).getAsJsonObject();
        assertEquals("GRANT USAGE ON WAREHOUSE {{warehouse}} TO ROLE dbtool_monitor", second.get("statement").getAsString());
        assertEquals("GRANT USAGE ON WAREHOUSE {{warehouse}} TO ROLE {{role}}", second.get("template").getAsString());
        assertEquals("a warehouse to query with", second.get("reason").getAsString());
    }

    @Test
    void valuesThatCouldChangeTheStatementAreRefusedWithOneLineAndExit64() {
        for (String[] args : List.of(new String[] {"grants", "wh", "--role", "x\"; DROP ROLE admin; --"},
                new String[] {"grants", "wh", "--set", "warehouse=a b"},
                new String[] {"grants", "wh", "--set", "database=X"},
                new String[] {"grants", "wh", "--set", "warehouse"},
                new String[] {"grants", "wh", "--format", "yaml"},
                new String[] {"grants", "nosuch"})) {
            err.reset();
            out.reset();
            assertEquals(ExitCodes.USAGE, run(args), String.join(" ", args) + ": " + stderr());
            assertEquals("", stdout(), String.join(" ", args));
            assertEquals(1, stderr().strip().lines().count(), stderr());
        }
        run("grants", "wh", "--set", "database=X");
        assertTrue(stderr().contains("--set database: wh's statements have no {{database}}; they use warehouse"), stderr());
    }

    @Test
    void anEngineWithoutGrantsSaysSo() {
        assertEquals(ExitCodes.OK, run("grants", "bare"), stderr());
        assertEquals("-- Warehouse DB: the plugin declares no grants; see its documentation.\n", stdout());
    }

    @Test
    void aGrantMustNameItsGranteeAndBeOneStatement() {
        assertThrows(IllegalArgumentException.class, () -> new Grant("GRANT pg_monitor TO bob", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Grant("GRANT pg_monitor TO {{role}};", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Grant("GRANT pg_monitor TO {{role}}", "two\nlines"));
        assertEquals(Set.of("role", "warehouse"), Grant.placeholders("GRANT USAGE ON WAREHOUSE {{warehouse}} TO ROLE {{role}}"));
    }
}
