package dbtool.plugin.snowflake.checks;

import java.time.Instant;

/**
 * The fixed "now" of the Snowflake interpretation tests (rows, contexts and finding readers come
 * from testkit's {@code CheckFixtures}, shared with the other engines).
 */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private Fixtures() {
    }
}
