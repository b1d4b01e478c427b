package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerErrors;
import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.w3c.dom.Element;

/**
 * Deadlocks of the last hour from the system_health Extended Events session, which every SQL
 * Server runs. Its ring_buffer target keeps recent xml_deadlock_report events in memory and is
 * cheap to read, but the XML it hands out is capped (about 4 MB of formatted XML): the newest
 * events can be left out (truncated="1") or the text torn. Then, or when the ring buffer shows no
 * deadlock in the window, the check reads the session's event files, which keep the full history.
 * Each report names the victim, the processes and what they held and waited for.
 */
final class DeadlocksCheck extends SqlServerCheck {

    static final Threshold WINDOW = Threshold.number("deadlock_window_minutes", 60, "min",
            "how far back deadlocks are counted");

    static final Threshold CRITICAL_COUNT = Threshold.number("deadlocks_critical", 10, "deadlocks",
            "CRITICAL from this many deadlocks in the window (WARNING from one)");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WINDOW, CRITICAL_COUNT);
    }

    // SQL Server 2016-2022 and Managed Instance; Azure SQL Database has no server-scoped system_health.
    // sys.dm_xe_sessions lists running sessions only: no row means system_health is stopped.
    static final String SQL = """
            SELECT CAST(t.target_data AS nvarchar(max)) AS target_data
            FROM sys.dm_xe_session_targets AS t
            JOIN sys.dm_xe_sessions AS s ON s.address = t.event_session_address
            WHERE s.name = N'system_health' AND t.target_name = N'ring_buffer'
            """;

    /** The event files (2017+: the file reader has timestamp_utc, so the server filters the hour). */
    static final String FILE_SQL = """
            SELECT CAST(event_data AS nvarchar(max)) AS event_data
            FROM sys.fn_xe_file_target_read_file(N'system_health*.xel', NULL, NULL, NULL)
            WHERE object_name = N'xml_deadlock_report' AND timestamp_utc >= DATEADD(HOUR, -1, SYSUTCDATETIME())
            """;

    /** The event files on 2016, which has no timestamp_utc column: the window is applied to each event's timestamp here. */
    static final String FILE_2016_SQL = """
            SELECT CAST(event_data AS nvarchar(max)) AS event_data
            FROM sys.fn_xe_file_target_read_file(N'system_health*.xel', NULL, NULL, NULL)
            WHERE object_name = N'xml_deadlock_report'
            """;

    DeadlocksCheck() {
        super("deadlocks", Category.LOCKS, "deadlocks of the last hour from the system_health session: victim, processes, resources",
                Support.notOnAzureSqlDatabase("it reads the server's system_health Extended Events session"));
    }

    @Override
    Set<String> codes() {
        return Set.of("MSSQL_DEADLOCKS", "MSSQL_DEADLOCK_HISTORY_INCOMPLETE", "MSSQL_DEADLOCK_SESSION_STOPPED");
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        Instant now = Instant.now();
        List<Map<String, Object>> ring = session.query(SQL, context);
        if (!ringBuffer(ring, since(now, context)).needsFiles()) {
            return interpret(ring, null, null, now, context);
        }
        String sql = session.server().atLeast(14, 0) ? FILE_SQL : FILE_2016_SQL;
        try {
            return interpret(ring, session.query(sql, context), null, now, context);
        } catch (SQLException e) {
            // the ring buffer's deadlocks still count; the finding says the history may be short
            return interpret(ring, null, SqlServerErrors.describe(e), now, context);
        }
    }

    /** What the ring buffer target held: whether system_health runs, and whether its XML is whole. */
    record RingBuffer(boolean running, boolean empty, boolean truncated, boolean torn, List<Map<String, Object>> deadlocks) {

        /** The event files are read when the ring buffer cannot be trusted to hold the window's deadlocks. */
        boolean needsFiles() {
            return running && (empty || truncated || torn || deadlocks.isEmpty());
        }
    }

    static RingBuffer ringBuffer(List<Map<String, Object>> rows, Instant since) {
        if (rows.isEmpty()) {
            return new RingBuffer(false, true, false, false, List.of());
        }
        String data = Values.line(rows.getFirst(), "target_data");
        if (data.isEmpty()) {
            return new RingBuffer(true, true, false, false, List.of());
        }
        Element target;
        try {
            target = Xml.parse(String.valueOf(rows.getFirst().get("target_data")));
        } catch (IllegalStateException e) {
            return new RingBuffer(true, false, false, true, List.of());
        }
        String truncated = target.getAttribute("truncated").trim();
        List<Map<String, Object>> deadlocks = new ArrayList<>();
        for (Element event : Xml.children(target, "event")) {
            Map<String, Object> deadlock = deadlock(event, since);
            if (deadlock != null) {
                deadlocks.add(deadlock);
            }
        }
        return new RingBuffer(true, false, !truncated.isEmpty() && !truncated.equals("0"), false, deadlocks);
    }

    /**
     * @param ringRows   the ring buffer read ({@link #SQL})
     * @param fileRows   the event files read ({@link #FILE_SQL} or {@link #FILE_2016_SQL}), null when not read
     * @param filesError why the event files could not be read, or null
     */
    static CheckResult interpret(List<Map<String, Object>> ringRows, List<Map<String, Object>> fileRows, String filesError, Instant now,
                                 CheckContext context) {
        long minutes = (long) WINDOW.value(context);
        CheckResult.Builder result = CheckResult.builder();
        Instant since = since(now, context);
        RingBuffer ring = ringBuffer(ringRows, since);
        if (!ring.running()) {
            return result.add(Finding.of("MSSQL_DEADLOCK_SESSION_STOPPED", Severity.WARNING,
                            "The system_health session is not running: deadlocks are not being recorded")
                    .detail("system_health runs by default from startup and records deadlocks, long waits and errors; someone stopped it "
                            + "or set it not to start. The next deadlock will leave no trace.")
                    .recommendation("ALTER EVENT SESSION system_health ON SERVER STATE = START;  -- and STARTUP_STATE = ON so it survives a restart")
                    .playbook(playbook("mssql-deadlocks")).build()).build();
        }
        // the ring buffer's events and the files' overlap: the same report has the same time and processes
        Map<String, Map<String, Object>> unique = new LinkedHashMap<>();
        ring.deadlocks().forEach(d -> unique.putIfAbsent(key(d), d));
        int unreadableFileEvents = 0;
        if (fileRows != null) {
            for (Map<String, Object> row : fileRows) {
                String data = Values.line(row, "event_data");
                try {
                    Map<String, Object> deadlock = data.isEmpty() ? null : deadlock(Xml.parse(String.valueOf(row.get("event_data"))), since);
                    if (deadlock != null) {
                        unique.putIfAbsent(key(deadlock), deadlock);
                    }
                } catch (IllegalStateException e) {
                    unreadableFileEvents++;
                }
            }
        }
        List<Map<String, Object>> deadlocks = new ArrayList<>(unique.values());
        deadlocks.sort((a, b) -> String.valueOf(b.get("time")).compareTo(String.valueOf(a.get("time"))));
        result.metric("deadlocks", deadlocks.size());
        result.metric("deadlock_source", fileRows != null ? "event_file" : "ring_buffer");
        String incomplete = incompleteBecause(ring, fileRows != null, filesError, unreadableFileEvents);
        if (incomplete != null) {
            result.add(Finding.of("MSSQL_DEADLOCK_HISTORY_INCOMPLETE", Severity.INFO, "Deadlock history incomplete: " + incomplete)
                    .detail("The ring buffer target of system_health hands out at most about 4 MB of XML; beyond that it leaves "
                            + "events out or the text is cut. The event files (system_health*.xel) keep the full history.")
                    .evidence("ringBufferTruncated", ring.truncated()).evidence("ringBufferUnreadable", ring.torn())
                    .evidence("eventFilesRead", fileRows != null)
                    .recommendation("Read the files in SSMS (Management > Extended Events > system_health > package0.event_file) "
                            + "or grant the login VIEW SERVER STATE (VIEW SERVER PERFORMANCE STATE on 2022) so dbtool can read them.")
                    .playbook(playbook("mssql-deadlocks")).build());
        }
        if (deadlocks.isEmpty()) {
            return result.build();
        }
        Map<String, Object> latest = deadlocks.getFirst();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> processes = (List<Map<String, Object>>) latest.get("processes");
        Map<String, Object> victim = processes.stream().filter(p -> Boolean.TRUE.equals(p.get("victim"))).findFirst()
                .orElse(processes.isEmpty() ? Map.of() : processes.getFirst());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> resources = (List<Map<String, Object>>) latest.get("resources");
        String on = resources.isEmpty() ? "" : " on " + resources.stream().map(r -> Values.line(r, "object")).filter(o -> !o.isEmpty())
                .distinct().collect(Collectors.joining(", "));
        Severity severity = deadlocks.size() >= CRITICAL_COUNT.value(context) ? Severity.CRITICAL : Severity.WARNING;
        return result.add(Finding.of("MSSQL_DEADLOCKS", severity, deadlocks.size() + (deadlocks.size() == 1 ? " deadlock" : " deadlocks")
                                + " in the last " + minutes + " min; the latest chose session " + Values.line(victim, "sessionId")
                                + (Values.line(victim, "clientApp").isEmpty() ? "" : " (" + Values.line(victim, "clientApp") + ")") + " as victim" + on)
                        .detail("SQL Server ended the victim's transaction with error 1205; the application must retry it. Repeated "
                                + "deadlocks between the same statements come from the order in which they touch rows or tables.")
                        // A deadlock has no standing head blocker: the server already broke the cycle.
                        .evidence("headBlockers", List.of())
                        .evidence("deadlockCount", deadlocks.size())
                        .evidence("deadlocks", deadlocks.stream().limit(5).toList())
                        .recommendation("Compare the statements of each process: make them touch tables and rows in the same order, "
                                + "keep transactions short, and index the predicates so fewer rows are locked. The full graphs: "
                                + "the system_health event file (xml_deadlock_report) in SSMS.")
                        .playbook(playbook("mssql-deadlocks")).build())
                .build();
    }

    /** Why the deadlock count may be short, or null when nothing was left out. */
    private static String incompleteBecause(RingBuffer ring, boolean filesRead, String filesError, int unreadableFileEvents) {
        if (filesError != null && (ring.torn() || ring.truncated() || ring.empty())) {
            return (ring.torn() ? "the ring buffer's XML cannot be read" : ring.truncated() ? "the ring buffer is truncated"
                    : "the ring buffer is empty") + " and the event files could not be read (" + filesError + ")";
        }
        if (ring.torn()) {
            return filesRead ? "the ring buffer's XML cannot be read; the deadlocks come from the event files"
                    : "the ring buffer's XML cannot be read";
        }
        if (unreadableFileEvents > 0) {
            return unreadableFileEvents + (unreadableFileEvents == 1 ? " event" : " events") + " of the event files cannot be read";
        }
        return null;
    }

    private static Instant since(Instant now, CheckContext context) {
        return now.minus(Duration.ofMinutes((long) WINDOW.value(context)));
    }

    private static String key(Map<String, Object> deadlock) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> processes = (List<Map<String, Object>>) deadlock.get("processes");
        return deadlock.get("time") + " " + processes.stream().map(p -> String.valueOf(p.get("sessionId"))).toList();
    }

    /** One xml_deadlock_report event (as the ring buffer and the event files write it) within the window, else null. */
    private static Map<String, Object> deadlock(Element event, Instant since) {
        if (!"event".equals(event.getTagName()) || !"xml_deadlock_report".equals(event.getAttribute("name"))) {
            return null;
        }
        Instant at = instant(event.getAttribute("timestamp"));
        if (at == null || at.isBefore(since)) {
            return null;
        }
        for (Element data : Xml.children(event, "data")) {
            if ("xml_report".equals(data.getAttribute("name"))) {
                Element report = Xml.path(data, "value", "deadlock");
                if (report != null) {
                    return deadlock(at, report);
                }
            }
        }
        return null;
    }

    private static Map<String, Object> deadlock(Instant at, Element report) {
        Set<String> victims = Xml.children(Xml.path(report, "victim-list"), "victimProcess").stream()
                .map(v -> v.getAttribute("id")).collect(Collectors.toSet());
        Map<String, String> spidOf = new LinkedHashMap<>();
        List<Map<String, Object>> processes = new ArrayList<>();
        for (Element process : Xml.children(Xml.path(report, "process-list"), "process")) {
            Map<String, Object> p = new LinkedHashMap<>();
            spidOf.put(process.getAttribute("id"), process.getAttribute("spid"));
            p.put("sessionId", parse(process.getAttribute("spid")));
            p.put("victim", victims.contains(process.getAttribute("id")));
            p.put("login", process.getAttribute("loginname"));
            p.put("host", process.getAttribute("hostname"));
            p.put("clientApp", process.getAttribute("clientapp"));
            p.put("database", process.getAttribute("currentdbname"));
            p.put("lockMode", process.getAttribute("lockMode"));
            p.put("waitResource", process.getAttribute("waitresource"));
            p.put("isolationLevel", process.getAttribute("isolationlevel"));
            String statement = Xml.text(process, "inputbuf");
            p.put("statement", statement.length() > 300 ? statement.substring(0, 300) + "..." : statement);
            processes.add(p);
        }
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Element resource : Xml.children(Xml.path(report, "resource-list"), null)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("type", resource.getTagName());
            r.put("object", resource.getAttribute("objectname"));
            r.put("index", resource.getAttribute("indexname"));
            r.put("mode", resource.getAttribute("mode"));
            r.put("owners", Xml.children(Xml.path(resource, "owner-list"), "owner").stream()
                    .map(o -> spidOf.getOrDefault(o.getAttribute("id"), o.getAttribute("id")) + " " + o.getAttribute("mode")).toList());
            r.put("waiters", Xml.children(Xml.path(resource, "waiter-list"), "waiter").stream()
                    .map(w -> spidOf.getOrDefault(w.getAttribute("id"), w.getAttribute("id")) + " " + w.getAttribute("mode")).toList());
            resources.add(r);
        }
        Map<String, Object> deadlock = new LinkedHashMap<>();
        deadlock.put("time", at.toString());
        deadlock.put("victims", processes.stream().filter(p -> Boolean.TRUE.equals(p.get("victim"))).map(p -> p.get("sessionId")).toList());
        deadlock.put("processes", processes);
        deadlock.put("resources", resources);
        return deadlock;
    }

    private static Object parse(String spid) {
        try {
            return Long.parseLong(spid.trim());
        } catch (NumberFormatException e) {
            return spid;
        }
    }

    /** Extended Events timestamps are UTC, with or without the Z. */
    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.endsWith("Z") ? text : text + "Z");
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
