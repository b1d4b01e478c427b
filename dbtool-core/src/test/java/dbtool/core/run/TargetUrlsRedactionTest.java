package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.spi.Redaction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A URL's secrets never reach the screen: not when it is shown, and not in the message that rejects it. */
class TargetUrlsRedactionTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://db1/orders?secret=S3cr3t",
        "postgresql://db1/orders?sslmode=require&secret=S3cr3t&application_name=x",
        "postgresql://db1/orders?Token=S3cr3t",
        "postgresql://db1/orders?PASSWORD=S3cr3t",
        "postgresql://db1/orders?sslpassword=S3cr3t",
        "postgresql://db1/orders?pwd=S3cr3t",
        "snowflake://acct/db?private_key=S3cr3t",
        "postgresql://alice:S3cr3t@db1/orders?password=S3cr3t&token=S3cr3t",
    })
    void secretQueryParametersAreHidden(String url) {
        String shown = Redaction.redact(url);
        assertFalse(shown.contains("S3cr3t"), shown);
        assertTrue(shown.contains("=****"), shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://alice:S3cr/3t@db1/orders",
        "postgresql://alice:S3cr?3t@db1/orders",
        "postgresql://alice:S3cr#3t@db1/orders",
        "postgresql://alice:S3cr@3t@db1/orders",
        "postgresql://alice:S3cr/3t@db1?sslmode=require",
    })
    void aPasswordWithAnUnencodedReservedCharacterIsStillHidden(String url) {
        String shown = Redaction.redact(url);
        assertFalse(shown.contains("S3cr") || shown.contains("3t@"), shown);
        assertTrue(shown.startsWith("postgresql://alice:****@db1"), shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://db1:5432/orders?application_name=alice@example.com",
        "snowflake://acct.snowflakecomputing.com:443/db?user=alice@example.com",
        "mongodb://h1:27017,h2:27017/admin?replicaSet=rs0",
        "postgresql://[::1]:5432/orders",
        "postgresql://[::1]/orders?application_name=alice@example.com",
    })
    void urlsWithoutAPasswordAreShownAsTheyAre(String url) {
        assertEquals(url, Redaction.redact(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://alice:S3cr3t@/orders",
        "postgresql://alice:S3cr3t@db 1/orders",
        "://alice:S3cr3t@db1/orders",
        "postgresql://db1/orders?password=S3cr3t extra",
        "postgresql://alice:S3cr/3t@db1/orders",
    })
    void rejectedUrlsAreUsageErrorsThatNeverShowThePassword(String url) {
        DbtoolException error = assertThrows(DbtoolException.class, () -> TargetUrls.parse(url));
        assertEquals(64, error.exitCode());
        assertFalse(error.getMessage().contains("S3cr"), error.getMessage());
        assertTrue(error.getMessage().startsWith("not a valid URL: '"), error.getMessage());
        assertTrue(error.getMessage().contains("expected e.g. postgresql://host:5432/db"), error.getMessage());
    }

    @org.junit.jupiter.api.Test
    void aPasswordWithASlashIsNotMistakenForTheHost() {
        DbtoolException error = assertThrows(DbtoolException.class, () -> TargetUrls.parse("postgresql://alice:pa/ss@db1/orders"));
        assertTrue(error.getMessage().contains("percent-encoded"), error.getMessage());
        assertTrue(error.getMessage().contains("postgresql://alice:****@db1/orders"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "u:S3cr3t@127.0.0.1/db",
        "postgresql:/u:S3cr3t@h/db",
        "postgresql//u:S3cr3t@h/db",
        "//u:S3cr3t@h/db",
        "'u:S3cr3t@h/db'",
        "host=h password=S3cr3t",
        "host=h password='S3cr3t' port=5432",
        "dbname=x PGPASSWORD=S3cr3t",
        "sqlserver://127.0.0.1:1;user=u;password=S3cr3t",
        "u:S3cr3t@h/db?x=http://y",
        "--timeout=postgresql://app:S3cr3t@h/db",
        "postgresql://u:S3 cr3t@h/db",
    })
    void nearMissesOfAUrlAreMaskedToo(String typed) {
        String shown = Redaction.redact(typed);
        assertFalse(shown.contains("S3") || shown.contains("cr3t"), shown);
        assertTrue(shown.contains("****"), shown);
        assertEquals(java.util.List.of(typed.contains("S3 cr3t") ? "S3 cr3t" : "S3cr3t"), Redaction.secrets(typed), typed);
    }

    @org.junit.jupiter.api.Test
    void textIsRedactedWordByWord() {
        assertEquals("dbtool: unknown target 'u:****@127.0.0.1/db': no targets; connect to host=h password=**** failed",
                Redaction.redactText("dbtool: unknown target 'u:S3cr3t@127.0.0.1/db': no targets; connect to host=h password=S3cr3t failed"));
        assertEquals("checks ran at 12:00:01, 3 of 4 ok; alice@example.com notified", Redaction.redactText(
                "checks ran at 12:00:01, 3 of 4 ok; alice@example.com notified"));
    }
}
