package dbtool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThresholdTest {

    private static CheckContext with(Map<String, String> settings) {
        return new CheckContext() {
            public Instant deadline() {
                return Instant.MAX;
            }

            public Map<String, String> settings() {
                return settings;
            }
        };
    }

    @Test
    void aNumberReadsTheConfiguredValueOrItsOneDefault() {
        Threshold t = Threshold.number("long_query_seconds", 60, "s", "WARNING from this long");
        assertEquals(60, t.value(with(Map.of())));
        assertEquals(1.5, t.value(with(Map.of("long_query_seconds", " 1.5 "))));
        assertEquals(60, t.value(with(Map.of("long_query_seconds", "NaN"))));
        assertEquals(Optional.of("expected a number (s), got \"Infinity\""), t.reject("Infinity"));
        assertEquals(Optional.of("expected a number (s), got \"10d\""), t.reject("10d"));
        assertEquals(Optional.empty(), t.reject("1e3"));
    }

    @Test
    void theDefaultIsShownAsDocumented() {
        assertEquals("10737418240", Threshold.number("temp_bytes_warning", 10L * 1024 * 1024 * 1024, "bytes", "x").defaultText());
        assertEquals("0.9", Threshold.number("cache_hit_ratio_warning", 0.90, "ratio", "x").defaultText());
        assertEquals("60", Threshold.number("a", 60, "s", "x").defaultText());
        assertEquals("(cluster or database)", Threshold.choice("session_scope", List.of("cluster", "database"), "x").defaultText());
    }

    @Test
    void aChoiceIsOneOfItsWords() {
        Threshold t = Threshold.choice("session_scope", List.of("cluster", "database"), "which sessions");
        assertEquals(Optional.of("cluster"), t.choice(with(Map.of("session_scope", "CLUSTER"))));
        assertEquals(Optional.empty(), t.choice(with(Map.of())));
        assertEquals(Optional.empty(), t.choice(with(Map.of("session_scope", "server"))));
    }

    @Test
    void aDeclarationIsCheckedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> Threshold.number("Long-Query", 1, "s", "x"));
        assertThrows(IllegalArgumentException.class, () -> Threshold.number("a", Double.NaN, "s", "x"));
        assertThrows(IllegalArgumentException.class, () -> Threshold.number("a", 1, "s", "two\nlines"));
        assertThrows(IllegalArgumentException.class, () -> Threshold.choice("a", List.of(), "x"));
    }
}
