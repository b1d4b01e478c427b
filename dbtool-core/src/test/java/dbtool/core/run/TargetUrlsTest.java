package dbtool.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.DbtoolException;
import dbtool.spi.Redaction;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://alice:S3cr3t@db1:5432/orders",
        "postgresql://db1/orders?user=alice&password=S3cr3t",
        "snowflake://acct/db?token=S3cr3t&warehouse=wh",
        "mongodb://alice:S3cr3t@h1:27017,h2:27017/admin?replicaSet=rs0",
        "sqlserver://db1/x;password=S3cr3t",
    })
    void redactionRemovesEverySecret(String url) {
        String shown = Redaction.redact(url);
        assertFalse(shown.contains("S3cr3t"), shown);
        assertTrue(shown.contains("****"), shown);
    }

    @Test
    void redactionKeepsWhatIsNotSecret() {
        assertEquals("postgresql://alice:****@db1:5432/orders?sslmode=require",
                Redaction.redact("postgresql://alice:pw@db1:5432/orders?sslmode=require"));
        assertEquals("postgresql://alice@db1/orders", Redaction.redact("postgresql://alice@db1/orders"));
    }

    @Test
    void partsOfAUrl() {
        URI uri = TargetUrls.parse("postgresql://alice@db1.example.com:6432/orders/extra");
        assertEquals("postgresql", TargetUrls.scheme(uri));
        assertEquals("db1.example.com", TargetUrls.host(uri));
        assertEquals("orders", TargetUrls.database(uri));
        assertEquals("h1:27017,h2:27017", TargetUrls.host(TargetUrls.parse("mongodb://u:p@h1:27017,h2:27017/admin")));
    }

    @Test
    void invalidUrlIsAUsageErrorThatHidesThePassword() {
        DbtoolException error = assertThrows(DbtoolException.class, () -> TargetUrls.parse("postgresql://alice:S3cr3t@db 1/x"));
        assertEquals(64, error.exitCode());
        assertFalse(error.getMessage().contains("S3cr3t"), error.getMessage());
        assertTrue(error.getMessage().startsWith("not a valid URL"), error.getMessage());
    }

    @Test
    void didYouMeanFindsCloseNames() {
        assertEquals(" (did you mean 'prod-orders-pg'?)",
                Suggestions.didYouMean("prod-ordres-pg", java.util.List.of("prod-orders-pg", "billing")));
        assertEquals("", Suggestions.didYouMean("zzz", java.util.List.of("prod-orders-pg")));
    }
}
