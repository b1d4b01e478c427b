package dbtool.top;

import dbtool.core.SafeText;
import dbtool.core.report.TraceLinks;
import dbtool.spi.ActiveSession;
import dbtool.spi.QueryPlan;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Draws one screen from a frame and the view's state, as lines no wider than the terminal: a pure
 * function, so rendering and sorting are tested on snapshots without a terminal. Every text that
 * came from the server goes through {@link SafeText} first; colour only when asked for (never
 * under NO_COLOR), and nothing depends on it: the selected row is marked with {@code >} as well.
 */
public final class Screen {

    /** What the view knows besides the frame: the title, a status (late, reconnecting, paused), the plan asked for. */
    public record Context(String title, String status, QueryPlan plan, String filterInput) {
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());
    private static final String KEYS = "q quit  d/c/i/w sort  / filter  p pause  +/- interval  \u2191\u2193 select  Enter details";

    private final boolean color;
    private final TraceLinks links;

    public Screen(boolean color) {
        this(color, TraceLinks.none());
    }

    /** A screen whose session details show the configured trace link under a traced session's trace id. */
    public Screen(boolean color, TraceLinks links) {
        this.color = color;
        this.links = links;
    }

    /** The whole screen: exactly {@code rows} lines (fewer only when {@code rows} is not limited, for --once). */
    public List<AttributedString> render(Frame frame, ViewState state, Context context, int columns, int rows) {
        List<AttributedString> lines = new ArrayList<>();
        lines.add(titleLine(frame, state, context, columns));
        if (frame == null) {
            lines.add(plain("waiting for the first snapshot..."));
            return fill(lines, columns, rows, context, state);
        }
        lines.add(plain(loadLine(frame)));
        List<ActiveSession> shown = Arrangement.rows(frame, state);
        lines.add(plain(summaryLine(frame, shown, state)));
        Table table = Table.fitting(columns, reports(frame, true), reports(frame, false));
        lines.add(styled(table.header(), AttributedStyle.INVERSE));
        ActiveSession expanded = state.expanded() == null ? null
                : frame.activity().sessions().stream().filter(s -> s.id().equals(state.expanded())).findFirst().orElse(null);
        int room = rows == Integer.MAX_VALUE ? Integer.MAX_VALUE : rows - lines.size() - 1;
        List<AttributedString> details = state.expanded() == null ? List.of() : details(expanded, state.expanded(), context.plan(), columns);
        int listRoom = room;
        if (!details.isEmpty() && room != Integer.MAX_VALUE) {
            // The list keeps at least five rows (the selected one among them); the details take the rest.
            int wanted = Math.max(1, shown.size());
            listRoom = Math.min(wanted, Math.max(Math.min(5, wanted), room - details.size()));
        }
        int selected = Math.min(state.selected(), Math.max(0, shown.size() - 1));
        int first = selected < listRoom ? 0 : selected - listRoom + 1;
        for (int i = first; i < shown.size() && i - first < listRoom; i++) {
            ActiveSession session = shown.get(i);
            lines.add(row(table.row(session, frame, i == selected), session, i == selected));
        }
        if (shown.isEmpty()) {
            lines.add(plain(state.filter() == null ? "no session is doing anything" : "no session matches the filter " + state.filter()));
        }
        lines.addAll(details);
        return fill(lines, columns, rows, context, state);
    }

    private AttributedString titleLine(Frame frame, ViewState state, Context context, int columns) {
        String left = "dbtool top " + SafeText.oneLine(context.title());
        StringBuilder right = new StringBuilder();
        if (frame != null) {
            right.append(CLOCK.format(frame.activity().takenAt()));
        }
        right.append("  every ").append(Units.seconds(state.interval()));
        if (frame != null) {
            right.append("  refresh ").append(frame.activity().statements()).append(" statements ").append(frame.refreshMillis()).append(" ms");
        }
        if (state.paused()) {
            right.append("  PAUSED");
        }
        String status = context.status() == null ? "" : "  " + SafeText.oneLine(context.status());
        AttributedStringBuilder line = new AttributedStringBuilder();
        line.style(AttributedStyle.BOLD).append(left).style(AttributedStyle.DEFAULT).append("  ").append(right.toString());
        if (!status.isEmpty()) {
            line.style(AttributedStyle.BOLD.foreground(AttributedStyle.RED)).append(status);
        }
        return finish(line.toAttributedString(), columns);
    }

    private static String loadLine(Frame frame) {
        List<String> parts = new ArrayList<>();
        frame.activity().load().forEach((name, value) -> parts.add(SafeText.oneLine(name) + " " + SafeText.oneLine(value)));
        if (frame.rates().isEmpty() && !frame.activity().counters().isEmpty()) {
            parts.add("rates after the next refresh");
        }
        frame.rates().forEach((name, rate) -> parts.add(SafeText.oneLine(name) + " " + Units.rate(rate) + "/s"));
        return String.join(" \u00b7 ", parts);
    }

    private static String summaryLine(Frame frame, List<ActiveSession> shown, ViewState state) {
        Map<String, Integer> waits = new LinkedHashMap<>();
        int blocked = 0;
        for (ActiveSession session : frame.activity().sessions()) {
            if (session.waitType() != null) {
                waits.merge(SafeText.oneLine(session.waitType()), 1, Integer::sum);
            }
            if (!session.blockedBy().isEmpty()) {
                blocked++;
            }
        }
        // What the user chose first (it must stay visible on a narrow screen), the waits by type last.
        StringBuilder line = new StringBuilder("sort ").append(state.sort().label);
        if (state.filter() != null) {
            line.append(" \u00b7 filter ").append(SafeText.oneLine(state.filter().toString()));
        }
        line.append(" \u00b7 ").append(shown.size()).append(" of ").append(frame.activity().sessions().size()).append(" sessions, ")
                .append(blocked).append(" blocked \u00b7 waits ");
        if (waits.isEmpty()) {
            line.append("none");
        } else {
            List<String> byType = new ArrayList<>();
            waits.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> byType.add(e.getKey() + " " + e.getValue()));
            line.append(String.join(", ", byType));
        }
        return line.toString();
    }

    private List<AttributedString> details(ActiveSession session, String id, QueryPlan plan, int columns) {
        List<AttributedString> lines = new ArrayList<>();
        if (session == null) {
            lines.add(styled("\u2500 session " + SafeText.oneLine(id) + " has ended", AttributedStyle.BOLD));
            return lines;
        }
        lines.add(styled("\u2500 session " + SafeText.oneLine(session.id()) + who(session), AttributedStyle.BOLD));
        if (session.cancel() != null) {
            lines.add(plain("to cancel (shown, not run):    " + SafeText.oneLine(session.cancel())));
        }
        if (session.terminate() != null) {
            lines.add(plain("to terminate (shown, not run): " + SafeText.oneLine(session.terminate())));
        }
        String query = session.query() == null ? "(no statement shown)" : session.query().strip();
        List<String> queryLines = new ArrayList<>();
        for (String line : query.split("\\R")) {
            queryLines.addAll(wrap(SafeText.oneLine(line.stripTrailing()), columns - 2));
        }
        lines.add(plain("query:"));
        queryLines.stream().limit(8).forEach(l -> lines.add(plain("  " + l)));
        if (queryLines.size() > 8) {
            lines.add(plain("  ... (" + (queryLines.size() - 8) + " more lines)"));
        }
        if (!session.locks().isEmpty()) {
            lines.add(plain("locks:"));
            session.locks().forEach(lock -> lines.add(plain("  " + SafeText.oneLine(lock))));
        }
        session.trace().ifPresent(trace -> {
            lines.add(plain("trace: " + trace.traceId() + "  span " + trace.spanId()
                    + (trace.service() == null ? "" : "  service " + SafeText.oneLine(trace.service()))));
            if (links.configured()) {
                lines.add(plain("  " + links.link(trace.traceId())));
            }
        });
        // The engine's further facts (warehouse, time queued, a parallel request's waits), one per line, wrapped.
        session.details().forEach((label, value) -> wrap(SafeText.oneLine(label) + ": " + SafeText.oneLine(value), columns)
                .forEach(l -> lines.add(plain(l))));
        if (plan == null) {
            lines.add(plain("plan: asking the server..."));
        } else if (!plan.available()) {
            // The reason is the point of the line: wrapped, never cut at the edge.
            wrap("plan unavailable: " + SafeText.oneLine(plan.unavailable()), columns).forEach(l -> lines.add(plain(l)));
        } else {
            lines.add(plain("plan:"));
            plan.lines().forEach(line -> lines.add(plain("  " + SafeText.oneLine(line))));
        }
        return lines;
    }

    private static String who(ActiveSession session) {
        StringBuilder text = new StringBuilder();
        append(text, "user", session.user());
        append(text, "db", session.database());
        append(text, "app", session.application());
        append(text, "client", session.client());
        append(text, "state", session.state());
        if (session.running() != null) {
            text.append(" \u00b7 for ").append(Units.duration(session.running()));
        }
        if (!session.blockedBy().isEmpty()) {
            text.append(" \u00b7 waits for ").append(SafeText.oneLine(String.join(", ", session.blockedBy())));
        }
        return text.toString();
    }

    private static void append(StringBuilder text, String label, String value) {
        if (value != null && !value.isBlank()) {
            text.append(" \u00b7 ").append(label).append(' ').append(SafeText.oneLine(value));
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        int w = Math.max(10, width);
        for (int i = 0; i < text.length(); i += w) {
            lines.add(text.substring(i, Math.min(text.length(), i + w)));
        }
        if (lines.isEmpty()) {
            lines.add("");
        }
        return lines;
    }

    private List<AttributedString> fill(List<AttributedString> lines, int columns, int rows, Context context, ViewState state) {
        List<AttributedString> screen = new ArrayList<>();
        boolean limited = rows != Integer.MAX_VALUE;
        int body = limited ? rows - 1 : lines.size();
        for (int i = 0; i < body; i++) {
            screen.add(i < lines.size() ? finish(lines.get(i), columns) : AttributedString.EMPTY);
        }
        if (limited) {
            String footer = context.filterInput() != null ? "filter (user:NAME, db:NAME, app:NAME or text; Enter applies, empty clears): "
                    + SafeText.oneLine(context.filterInput()) + "_" : KEYS;
            screen.add(finish(styled(footer, AttributedStyle.INVERSE), columns));
        }
        return screen;
    }

    private AttributedString row(String text, ActiveSession session, boolean selected) {
        AttributedStyle style = AttributedStyle.DEFAULT;
        if (!session.blockedBy().isEmpty()) {
            style = style.foreground(AttributedStyle.YELLOW);
        }
        if (selected) {
            style = style.inverse();
        }
        return styled(text, style);
    }

    private AttributedString styled(String text, AttributedStyle style) {
        return color ? new AttributedString(text, style) : new AttributedString(text);
    }

    private static AttributedString plain(String text) {
        return new AttributedString(text);
    }

    private AttributedString finish(AttributedString line, int columns) {
        AttributedString cut = line.columnLength() > columns ? line.columnSubSequence(0, columns) : line;
        return color ? cut : new AttributedString(cut.toString());
    }

    private static boolean reports(Frame frame, boolean cpu) {
        return frame.activity().sessions().stream().anyMatch(s -> (cpu ? s.cpuMillis() : s.ioCount()) != null);
    }
}
