package dbtool.top;

import dbtool.spi.ActiveSession;
import java.time.Duration;
import java.util.Locale;

/** What the user chose in the view: sort, filter, pause, interval, the selected and the expanded session. */
public final class ViewState {

    public enum Sort {
        DURATION("duration"), CPU("CPU"), IO("I/O"), WAITS("waits");

        final String label;

        Sort(String label) {
            this.label = label;
        }
    }

    /** A filter as typed: {@code user:NAME}, {@code db:NAME}, {@code app:NAME}, or text searched in the query. */
    public record Filter(String field, String value) {

        public static Filter parse(String typed) {
            String text = typed.strip();
            int colon = text.indexOf(':');
            if (colon > 0) {
                String field = text.substring(0, colon).toLowerCase(Locale.ROOT);
                if (field.equals("user") || field.equals("db") || field.equals("app")) {
                    return new Filter(field, text.substring(colon + 1).strip());
                }
            }
            return new Filter("text", text);
        }

        public boolean matches(ActiveSession session) {
            String haystack = switch (field) {
                case "user" -> session.user();
                case "db" -> session.database();
                case "app" -> session.application();
                default -> session.query();
            };
            return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return field.equals("text") ? value : field + ":" + value;
        }
    }

    static final Duration MIN_INTERVAL = Duration.ofMillis(500);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(60);

    Sort sort = Sort.DURATION;
    Filter filter;
    boolean paused;
    Duration interval;
    /** The selected row among those shown (-1 for none), and the session expanded below the list (null for none). */
    int selected;
    String expanded;

    public ViewState(Duration interval) {
        this.interval = interval;
    }

    public Sort sort() {
        return sort;
    }

    public void sort(Sort value) {
        this.sort = value;
    }

    public void filter(Filter value) {
        this.filter = value == null || value.value().isEmpty() ? null : value;
        this.selected = 0;
    }

    public Filter filter() {
        return filter;
    }

    public boolean paused() {
        return paused;
    }

    public void togglePause() {
        paused = !paused;
    }

    public Duration interval() {
        return interval;
    }

    /** Doubles or halves the interval, within half a second and a minute. */
    public void slower(boolean slower) {
        Duration next = slower ? interval.multipliedBy(2) : interval.dividedBy(2);
        interval = next.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : next.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : next;
    }

    public void select(int row) {
        selected = Math.max(0, row);
    }

    /** No row selected: the printed frame of --once, where nobody moves a selection. */
    public void selectNone() {
        selected = -1;
    }

    public int selected() {
        return selected;
    }

    public void expand(String sessionId) {
        expanded = sessionId;
    }

    public String expanded() {
        return expanded;
    }
}
