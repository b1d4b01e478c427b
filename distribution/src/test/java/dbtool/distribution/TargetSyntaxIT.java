package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dbtool.testkit.DbtoolBundle;
import dbtool.testkit.ProcessResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hosts and ports as the bundle reads them: a bad port is one usage error line, never driver logging. */
class TargetSyntaxIT {

    @TempDir
    Path home;

    @ParameterizedTest
    @CsvSource({
        "postgresql://127.0.0.1:99999/db, 99999",
        "postgresql://127.0.0.1:0/db, 0",
        "postgresql://127.0.0.1:-5/db, -5",
        "sqlserver://127.0.0.1:70000, 70000",
        "mongodb://127.0.0.1:0/admin, 0",
    })
    void aPortOutsideOneTo65535IsOneUsageErrorLine(String url, String port) {
        ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", url, "--timeout", "3");
        assertEquals(64, result.exitCode(), result.describe());
        assertEquals(1, result.stderr().lines().count(), "one line, no driver logging: " + result.stderr());
        assertTrue(result.stderr().contains("'" + url + "' (port '" + port + "': a port is a number from 1 to 65535)"), result.stderr());
        assertTrue(result.stdout().isEmpty(), result.stdout());
    }

    @Test
    void underscoreAndInternationalHostsKeepTheirPort() {
        for (String[] typed : new String[][] {{"postgresql://db_primary:5433/db", "db_primary"},
                {"postgresql://bücher.invalid:5433/db", "xn--bcher-kva.invalid"}}) {
            ProcessResult result = DbtoolBundle.locate(home).run("troubleshoot", typed[0], "--format", "json", "--timeout", "3");
            JsonObject target = JsonParser.parseString(result.stdout()).getAsJsonObject().getAsJsonObject("target");
            assertEquals(typed[1], target.get("host").getAsString(), result.stdout());
            assertEquals(5433, target.get("port").getAsInt(), result.stdout());
            assertFalse(result.stderr().contains("WARNING") || result.stderr().contains("org.postgresql"), result.stderr());
        }
    }
}
