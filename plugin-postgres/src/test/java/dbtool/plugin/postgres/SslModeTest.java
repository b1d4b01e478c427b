package dbtool.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dbtool.spi.Credentials;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import dbtool.spi.TargetConfigurationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A TLS or GSS setting pgjdbc does not know is a configuration error (78), not a failed connection (2). */
class SslModeTest {

    private static Target target(String url, Map<String, String> options) {
        URI uri = URI.create(url);
        return new Target("orders", uri, "postgresql", uri.getHost(), uri.getPort(), "orders", List.of(), options);
    }

    @Test
    void anUnknownSslModeInTheUrlOrTheOptionsNamesTargetFieldAndChoices() {
        TargetConfigurationException url = assertThrows(TargetConfigurationException.class, () -> new PostgresPlugin().open(
                target("postgresql://db1:5432/orders?sslmode=verify_full", Map.of()), Credentials.none(), SessionSettings.defaults()));
        assertEquals("target 'orders': sslmode: expected one of disable, allow, prefer, require, verify-ca, verify-full, got 'verify_full'",
                url.getMessage());
        TargetConfigurationException options = assertThrows(TargetConfigurationException.class, () -> new PostgresPlugin().open(
                target("postgresql://db1:5432/orders", Map.of("gssEncMode", "always")), Credentials.none(), SessionSettings.defaults()));
        assertEquals("target 'orders': gssEncMode: expected one of disable, allow, prefer, require, got 'always'", options.getMessage());
    }
}
