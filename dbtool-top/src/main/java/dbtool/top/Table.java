package dbtool.top;

import dbtool.core.SafeText;
import dbtool.spi.ActiveSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The session list's columns for a terminal width: the ones that say what is happening (id, user,
 * state, time, wait, query) always; the others (CPU and I/O where the engine reports them, application,
 * blocked by, database, client) as the width allows, in that order. The query takes what is left.
 */
final class Table {

    private record Column(String title, int width, boolean right, BiFunction<ActiveSession, Frame, String> value) {
    }

    private static final int MIN_QUERY = 20;

    private static final int ID_WIDTH = 12;
    private static final Column ID = new Column("ID", ID_WIDTH, false, (s, f) -> id(s));
    private static final Column USER = new Column("USER", 9, false, (s, f) -> s.user());
    private static final Column STATE = new Column("STATE", 8, false, (s, f) -> state(s.state()));
    private static final Column TIME = new Column("TIME", 6, true, (s, f) -> Units.duration(s.running()));
    private static final Column WAIT = new Column("WAIT", 16, false, (s, f) -> wait(s));
    private static final Column CPU = new Column("CPU ms/s", 8, true, (s, f) -> rate(s.cpuMillis(), f.cpuRates().get(s.id())));
    private static final Column IO = new Column("IO/s", 7, true, (s, f) -> rate(s.ioCount(), f.ioRates().get(s.id())));
    private static final Column APP = new Column("APP", 12, false, (s, f) -> s.application());
    private static final Column BLOCKED = new Column("BLOCKED BY", 10, false, (s, f) -> String.join(",", s.blockedBy()));
    private static final Column DB = new Column("DB", 10, false, (s, f) -> s.database());
    private static final Column CLIENT = new Column("CLIENT", 15, false, (s, f) -> s.client());

    private final List<Column> columns;
    private final int queryWidth;

    private Table(List<Column> columns, int queryWidth) {
        this.columns = columns;
        this.queryWidth = queryWidth;
    }

    static Table fitting(int width, boolean cpu, boolean io) {
        List<Column> chosen = new ArrayList<>(List.of(ID, USER, STATE, TIME, WAIT));
        List<Column> optional = new ArrayList<>();
        if (cpu) {
            optional.add(CPU);
        }
        if (io) {
            optional.add(IO);
        }
        optional.addAll(List.of(APP, BLOCKED, DB, CLIENT));
        int used = used(chosen);
        for (Column column : optional) {
            if (used + column.width() + 1 + MIN_QUERY <= width) {
                chosen.add(column);
                used += column.width() + 1;
            }
        }
        // Keep the table's order whatever the width: the chosen optional columns go before WAIT's neighbours.
        List<Column> ordered = new ArrayList<>();
        for (Column column : List.of(ID, USER, DB, APP, CLIENT, STATE, TIME, WAIT, BLOCKED, CPU, IO)) {
            if (chosen.contains(column)) {
                ordered.add(column);
            }
        }
        return new Table(ordered, Math.max(MIN_QUERY, width - used(ordered)));
    }

    private static int used(List<Column> columns) {
        return 1 + columns.stream().mapToInt(c -> c.width() + 1).sum();
    }

    String header() {
        StringBuilder line = new StringBuilder(" ");
        columns.forEach(c -> line.append(cell(c.title(), c.width(), c.right())).append(' '));
        return line.append(cell("QUERY", queryWidth, false)).toString();
    }

    /** One session's row; {@code >} marks the selected one, so the selection shows without colour too. */
    String row(ActiveSession session, Frame frame, boolean selected) {
        StringBuilder line = new StringBuilder(selected ? ">" : " ");
        for (Column column : columns) {
            line.append(cell(SafeText.oneLine(column.value().apply(session, frame)), column.width(), column.right())).append(' ');
        }
        String query = session.query() == null ? "" : session.query().replaceAll("\\s+", " ").strip();
        return line.append(cell(SafeText.oneLine(query), queryWidth, false)).toString();
    }

    /**
     * The ID column: an id too long for it (a Snowflake query id, a mongos "shard:opid") keeps its end,
     * where ids differ, rather than a prefix every row shares.
     */
    private static String id(ActiveSession session) {
        String indent = indent(session);
        int room = ID_WIDTH - indent.length();
        String id = SafeText.oneLine(session.id());
        return indent + (id.length() <= room ? id : "\u2026" + id.substring(id.length() - room + 1));
    }

    private static String cell(String text, int width, boolean right) {
        String value = text == null ? "" : text;
        if (value.length() > width) {
            return value.substring(0, width - 1) + "\u2026";
        }
        String pad = " ".repeat(width - value.length());
        return right ? pad + value : value + pad;
    }

    private static String indent(ActiveSession session) {
        return session.depth() == 0 ? "" : " ".repeat(session.depth() - 1) + "\u2514";
    }

    private static String state(String state) {
        if (state == null) {
            return "";
        }
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "idle in transaction" -> "idle tx";
            case "idle in transaction (aborted)" -> "idle tx!";
            default -> state;
        };
    }

    private static String wait(ActiveSession session) {
        if (session.waitType() == null) {
            return session.waitEvent() == null ? "" : session.waitEvent();
        }
        return session.waitEvent() == null ? session.waitType() : session.waitType() + ":" + session.waitEvent();
    }

    /**
     * A session's rate; "n/a" when the engine reports the figure for other sessions but not for this
     * one (a MongoDB operation without cpuNanos), blank while a new session has no rate yet.
     */
    private static String rate(Double total, Double value) {
        if (total == null) {
            return "n/a";
        }
        return value == null ? "" : Units.rate(value);
    }
}
