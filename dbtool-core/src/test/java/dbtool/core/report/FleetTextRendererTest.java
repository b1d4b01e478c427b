package dbtool.core.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet table's worst-finding column: whole for any real finding title, cut only when a title runs away. */
class FleetTextRendererTest {

    private static String render(String title) {
        Finding finding = Finding.of("PG_BLOCKING_CHAIN", Severity.CRITICAL, title).build();
        CheckReport check = new CheckReport("blocking", "locks", Severity.CRITICAL, 5, null, Map.of(), List.of(finding));
        Report report = Report.of("1.2.3", TextReportRendererTest.ORDERS, Instant.parse("2026-12-08T10:00:00Z"), 42, List.of(check));
        FleetReport fleet = new FleetReport(1, "1.2.3", Severity.CRITICAL, Instant.parse("2026-12-08T10:00:00Z"), 42, 16,
                List.of(new FleetReport.Entry("orders", Severity.CRITICAL, null, report)));
        return new FleetTextRenderer(Style.PLAIN).render(fleet);
    }

    @Test
    void aBlockingChainTitleIsWholeWhateverThePidAndDurationLengths() {
        // The same incident must read the same on every machine: a seven-digit pid and a two-digit duration fit.
        String title = "3 sessions are blocked behind pid 1234567 (idle in transaction for 59 min, billing-api)";
        String out = render(title);
        assertTrue(out.contains("PG_BLOCKING_CHAIN: " + title), out);
        assertFalse(out.contains("\u2026"), out);
    }

    @Test
    void aRunawayTitleIsCutWithAnEllipsis() {
        String out = render("x".repeat(300));
        assertTrue(out.contains("PG_BLOCKING_CHAIN: " + "x".repeat(119 - "PG_BLOCKING_CHAIN: ".length()) + "\u2026"), out);
    }
}
