package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dbtool.core.report.JsonReportWriter;
import dbtool.core.report.Report;
import dbtool.testkit.Reports;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A password in the URL reaches the server as written: percent-escapes decoded, everything else kept.
 * Unlike an HTML form, a URL's '+' is a plus (libpq reads it so), and '@' and ':' may stand unencoded
 * in the password: the user-info ends at the last '@' before the host. The same holds for a
 * {@code ?user=...&password=...} query parameter, as libpq reads it.
 */
class UrlPasswordTest {

    /** The password of the role, with each character that URL decoders get wrong. */
    static final String PASSWORD = "Pa+ss+w@rd:x%y";

    @RegisterExtension
    static final TestCluster cluster = TestCluster.defaults("CREATE ROLE plus_user LOGIN PASSWORD '" + PASSWORD + "'");

    @ParameterizedTest
    @ValueSource(strings = {
        "Pa+ss+w@rd:x%25y",
        "Pa%2Bss%2Bw%40rd%3Ax%25y",
        "Pa+ss%2Bw@rd%3Ax%25y",
    })
    void thePasswordArrivesUnchanged(String written) {
        Report report = Troubleshoot.run("postgresql://plus_user:" + written + "@127.0.0.1:" + cluster.port() + "/postgres", Map.of());
        Reports.require(report, "PG_CONNECTED");
        String json = JsonReportWriter.toJson(report);
        assertFalse(json.contains("w@rd") || json.contains("rd:x") || json.contains("%40rd"), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Pa+ss+w@rd:x%25y",
        "Pa%2Bss%2Bw%40rd%3Ax%25y",
        "Pa+ss%2Bw@rd:x%25y",
    })
    void aPasswordGivenAsAQueryParameterArrivesUnchanged(String written) {
        Report report = Troubleshoot.run("postgresql://127.0.0.1:" + cluster.port() + "/postgres?user=plus_user&password=" + written,
                Map.of());
        Reports.require(report, "PG_CONNECTED");
        String json = JsonReportWriter.toJson(report);
        assertFalse(json.contains("w@rd") || json.contains("rd:x") || json.contains("%40rd"), json);
    }
}
