package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.spi.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The host part of a target URL is read strictly: what is not a host or a port is a usage error, never a host name. */
class TargetHostsTest {

    private static Target target(String url) {
        return TargetUrls.target("t", TargetUrls.parse(url), "postgresql", List.of(), Map.of());
    }

    private static DbtoolException rejected(String url) {
        DbtoolException error = assertThrows(DbtoolException.class, () -> TargetUrls.parse(url));
        assertEquals(64, error.exitCode(), error.getMessage());
        assertFalse(error.getMessage().contains("\n"), error.getMessage());
        return error;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sqlserver://127.0.0.1:1;user=u;password=S3cret",
        "postgresql://127.0.0.1:1;user=u;password=S3cret/db",
        "mongodb://127.0.0.1:1;password=S3cret",
        "postgresql://u@db1;password=S3cret:5432/db",
        "postgresql://db1=password=S3cret/db",
        "snowflake://acct;private_key=S3cret/db",
    })
    void connectionPropertiesInTheHostAreRefusedShowingNothingAfterThem(String url) {
        DbtoolException error = rejected(url);
        assertFalse(error.getMessage().contains("S3cret") || error.getMessage().contains("user=")
                || error.getMessage().contains("password"), error.getMessage());
        assertTrue(error.getMessage().contains("a host name cannot contain ';', '=' or spaces"), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "postgresql://127.0.0.1:99999/db, '99999'",
        "postgresql://127.0.0.1:0/db, '0'",
        "postgresql://127.0.0.1:-5/db, '-5'",
        "postgresql://127.0.0.1:65536/db, '65536'",
        "postgresql://127.0.0.1:54x/db, '54x'",
        "postgresql://db_primary:0/db, '0'",
        "'mongodb://h1:27017,h2:70000/admin', '70000'",
        "postgresql://[::1]:99999/db, '99999'",
    })
    void aPortIsANumberFrom1To65535(String url, String port) {
        DbtoolException error = rejected(url);
        assertTrue(error.getMessage().contains("(port '" + port + "': a port is a number from 1 to 65535)"), error.getMessage());
        assertTrue(error.getMessage().startsWith("not a valid URL: '" + url + "'"), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "postgresql://db_primary:5433/db, db_primary, 5433",
        "postgresql://u:pw@db_primary:5433/db, db_primary, 5433",
        "postgresql://bücher.example:5433/db, xn--bcher-kva.example, 5433",
        "postgresql://db1.example.com:65535/db, db1.example.com, 65535",
        "postgresql://db1:1/db, db1, 1",
        "postgresql://db1/db, db1, -1",
        "postgresql://[::1]:6432/db, [::1], 6432",
        "postgresql://u:p@ss:w@rd@db_primary:5433/db, db_primary, 5433",
    })
    void underscoreAndInternationalHostsKeepTheirPort(String url, String host, int port) {
        Target target = target(url);
        assertEquals(host, target.host());
        assertEquals(port, target.port());
        assertEquals("db", target.database());
    }

    @Test
    void aSeedListKeepsItsHostsAndChecksEachPort() {
        Target target = target("mongodb://u:p@h_1:27017,h2:27018/admin");
        assertEquals("h_1:27017,h2:27018", target.host());
        assertEquals(-1, target.port());
    }

    @Test
    void otherCharactersAreNotAHost() {
        assertTrue(rejected("postgresql://db!1/x").getMessage().contains("a host name cannot contain '!'"));
        assertTrue(rejected("postgresql://::1/x").getMessage().contains("brackets"));
    }
}
