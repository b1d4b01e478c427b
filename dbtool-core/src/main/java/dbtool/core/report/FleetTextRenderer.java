package dbtool.core.report;

import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The fleet summary for a terminal: counts per status, then one row per target, worst first. */
public final class FleetTextRenderer {

    private final Style style;

    public FleetTextRenderer(Style style) {
        this.style = style;
    }

    public String render(FleetReport fleet) {
        StringBuilder out = new StringBuilder();
        out.append(style.bold("dbtool troubleshoot: " + fleet.targets().size() + " targets")).append(style.dim(
                " (at most " + fleet.parallel() + " at a time)")).append('\n');
        out.append(style.severityName(fleet.status())).append("  in ").append(fleet.durationMs()).append(" ms:");
        for (Severity severity : List.of(Severity.CRITICAL, Severity.UNKNOWN, Severity.WARNING, Severity.OK)) {
            long count = fleet.targets().stream().filter(t -> t.status() == severity).count();
            out.append("  ").append(severity.name()).append(' ').append(count);
        }
        out.append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (FleetReport.Entry entry : fleet.targets()) {
            // Cells are escaped by TextTable; the headline is built from the escaped report.
            Report report = entry.report() == null ? null : TextReportRenderer.escaped(entry.report());
            String engine = report == null ? "-" : report.target().engine();
            String time = report == null ? "-" : report.durationMs() + " ms";
            rows.add(List.of(entry.status().name(), entry.name(), engine, time, headline(entry.error(), report)));
        }
        out.append(TextTable.format(List.of("STATUS", "TARGET", "ENGINE", "TIME", "WORST FINDING"), rows, "", style));
        if (fleet.status() != Severity.OK) {
            out.append('\n').append(style.dim("Run 'dbtool troubleshoot TARGET' on a target for its full report.")).append('\n');
        }
        return out.toString();
    }

    private static String headline(String error, Report report) {
        if (error != null) {
            return error;
        }
        if (report.checks().isEmpty()) {
            return "no checks ran: the " + report.target().engine() + " plugin has none for this selection yet";
        }
        Optional<Finding> worst = report.checks().stream().flatMap(c -> c.findings().stream())
                .filter(f -> f.severity() != Severity.OK && f.severity() != Severity.INFO)
                .max(Comparator.comparingInt(f -> f.severity().rank()));
        if (worst.isPresent()) {
            String text = worst.get().code() + ": " + worst.get().title();
            // Long enough for a finding title with a seven-digit pid and a two-digit duration whole (about 106
            // characters for a blocking chain), so that the same incident reads the same on every machine.
            return text.length() > 120 ? text.substring(0, 119) + "…" : text;
        }
        return report.checks().stream().filter(c -> c.error() != null).findFirst()
                .map(c -> c.id() + ": " + c.error()).orElse("");
    }
}
