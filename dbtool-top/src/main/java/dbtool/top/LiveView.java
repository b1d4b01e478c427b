package dbtool.top;

import dbtool.spi.ActiveSession;
import java.io.IOException;
import java.util.List;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The full-screen loop: draws the screen with JLine's {@link Display} (which rewrites only what
 * changed), reads keys through a {@link KeyMap}, starts refreshes on the interval, and follows the
 * terminal's size. The terminal is given back as it was found (attributes, main screen, cursor),
 * so the {@code dbtool>} prompt comes back after {@code q}.
 */
final class LiveView {

    enum Action { QUIT, SORT_DURATION, SORT_CPU, SORT_IO, SORT_WAITS, FILTER, PAUSE, SLOWER, FASTER, UP, DOWN, EXPAND }

    private static final long KEY_POLL_MILLIS = 100;

    private final Terminal terminal;
    private final Watcher watcher;
    private final ViewState state;
    private final Screen screen;
    private final String title;
    private volatile boolean quit;
    private volatile boolean redraw = true;
    private String filterInput;

    LiveView(Terminal terminal, Watcher watcher, ViewState state, Screen screen, String title) {
        this.terminal = terminal;
        this.watcher = watcher;
        this.state = state;
        this.screen = screen;
        this.title = title;
    }

    void run() throws IOException {
        Attributes saved = terminal.enterRawMode();
        Terminal.SignalHandler previousInt = terminal.handle(Terminal.Signal.INT, signal -> quit = true);
        Terminal.SignalHandler previousWinch = terminal.handle(Terminal.Signal.WINCH, signal -> redraw = true);
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        watcher.onChange(() -> redraw = true);
        try {
            loop();
        } finally {
            watcher.onChange(() -> { });
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
            terminal.handle(Terminal.Signal.INT, previousInt);
            terminal.handle(Terminal.Signal.WINCH, previousWinch);
        }
    }

    private void loop() throws IOException {
        Display display = new Display(terminal, true);
        BindingReader keys = new BindingReader(terminal.reader());
        KeyMap<Action> keyMap = keyMap();
        Size size = null;
        long nextRefresh = 0;
        String lastStatus = null;
        while (!quit) {
            long now = System.nanoTime();
            if (!state.paused() && now >= nextRefresh) {
                watcher.refresh();
                nextRefresh = now + state.interval().toNanos();
            }
            Size current = terminal.getSize();
            if (!current.equals(size)) {
                size = Size.of(current.getColumns(), current.getRows());
                display.clear();
                display.resize(Size.of(Math.max(1, size.getColumns()), Math.max(1, size.getRows())));
                redraw = true;
            }
            String status = watcher.status();
            if (redraw || status != null || lastStatus != null) {
                redraw = false;
                display.update(draw(size), -1);
                terminal.flush();
            }
            lastStatus = status;
            int next = terminal.reader().peek(KEY_POLL_MILLIS);
            if (next == NonBlockingReader.EOF) {
                return;
            }
            if (next == NonBlockingReader.READ_EXPIRED) {
                continue;
            }
            if (filterInput != null) {
                editFilter(terminal.reader().read());
            } else {
                Action action = keys.readBinding(keyMap, null, false);
                if (action != null) {
                    act(action);
                }
            }
            redraw = true;
        }
    }

    private List<AttributedString> draw(Size size) {
        Frame frame = watcher.frame();
        String status = watcher.status();
        if (state.paused()) {
            status = status == null ? "paused: p resumes" : status;
        }
        var plan = state.expanded() == null ? null : watcher.plan(state.expanded());
        return screen.render(frame, state, new Screen.Context(title, status, plan, filterInput),
                Math.max(20, size.getColumns()), Math.max(5, size.getRows()));
    }

    private void act(Action action) {
        switch (action) {
            case QUIT -> quit = true;
            case SORT_DURATION -> state.sort(ViewState.Sort.DURATION);
            case SORT_CPU -> state.sort(ViewState.Sort.CPU);
            case SORT_IO -> state.sort(ViewState.Sort.IO);
            case SORT_WAITS -> state.sort(ViewState.Sort.WAITS);
            case FILTER -> filterInput = state.filter() == null ? "" : state.filter().toString();
            case PAUSE -> state.togglePause();
            case SLOWER -> state.slower(true);
            case FASTER -> state.slower(false);
            case UP -> state.select(Math.max(0, state.selected() - 1));
            case DOWN -> state.select(Math.min(state.selected() + 1, Math.max(0, shown().size() - 1)));
            case EXPAND -> expand();
        }
    }

    /** Enter on a row shows its details and asks for its plan; Enter again closes them. */
    private void expand() {
        List<ActiveSession> rows = shown();
        if (state.expanded() != null || rows.isEmpty()) {
            state.expand(null);
            return;
        }
        ActiveSession session = rows.get(Math.min(state.selected(), rows.size() - 1));
        state.expand(session.id());
        watcher.requestPlan(session);
    }

    private List<ActiveSession> shown() {
        Frame frame = watcher.frame();
        return frame == null ? List.of() : Arrangement.rows(frame, state);
    }

    private void editFilter(int c) {
        switch (c) {
            case '\r', '\n' -> {
                state.filter(ViewState.Filter.parse(filterInput));
                filterInput = null;
            }
            case 27, 7 -> filterInput = null; // Esc or Ctrl-G: leave the filter as it was
            case 127, 8 -> filterInput = filterInput.isEmpty() ? "" : filterInput.substring(0, filterInput.length() - 1);
            default -> {
                if (c >= 32 && filterInput.length() < 200) {
                    filterInput += (char) c;
                }
            }
        }
    }

    private KeyMap<Action> keyMap() {
        KeyMap<Action> map = new KeyMap<>();
        map.bind(Action.QUIT, "q", "Q", KeyMap.ctrl('C'));
        map.bind(Action.SORT_DURATION, "d");
        map.bind(Action.SORT_CPU, "c");
        map.bind(Action.SORT_IO, "i");
        map.bind(Action.SORT_WAITS, "w");
        map.bind(Action.FILTER, "/");
        map.bind(Action.PAUSE, "p", " ");
        map.bind(Action.SLOWER, "+");
        map.bind(Action.FASTER, "-");
        map.bind(Action.EXPAND, "\r", "\n");
        map.bind(Action.UP, "\033[A", "\033OA", "k");
        map.bind(Action.DOWN, "\033[B", "\033OB", "j");
        String up = KeyMap.key(terminal, Capability.key_up);
        String down = KeyMap.key(terminal, Capability.key_down);
        if (up != null && !up.isEmpty()) {
            map.bind(Action.UP, up);
        }
        if (down != null && !down.isEmpty()) {
            map.bind(Action.DOWN, down);
        }
        return map;
    }
}
