package dbtool.plugin.mssql.checks;

import dbtool.spi.CheckContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows shaped like the documented DMV columns, and a context with thresholds. */
final class Fixtures {

    private Fixtures() {
    }

    static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }

    static CheckContext context(String... settings) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new CheckContext() {
            public Instant deadline() {
                return Instant.now().plusSeconds(10);
            }

            public Map<String, String> settings() {
                return values;
            }
        };
    }
}
