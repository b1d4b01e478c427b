package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
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
 * Server runs: its ring_buffer target keeps recent xml_deadlock_report events in memory (reading it
 * is cheap, unlike the event files). Each report names the victim, the processes and what they
 * held and waited for.
 */
final class DeadlocksCheck extends SqlServerCheck {

    // SQL Server 2016-2022 and Managed Instance; Azure SQL Database has no server-scoped system_health.
    static final String SQL = """
            SELECT CAST(t.target_data AS nvarchar(max)) AS target_data
            FROM sys.dm_xe_session_targets AS t
            JOIN sys.dm_xe_sessions AS s ON s.address = t.event_session_address
            WHERE s.name = N'system_health' AND t.target_name = N'ring_buffer'
            """;

    DeadlocksCheck() {
        super("deadlocks", Category.LOCKS, "deadlocks of the last hour from the system_health session: victim, processes, resources",
                Support.notOnAzureSqlDatabase("it reads the server's system_health Extended Events session"));
    }

    @Override
    protected CheckResult diagnose(SqlServerSession session, CheckContext context) throws Exception {
        return interpret(session.query(SQL, context), Instant.now(), context);
    }

    static CheckResult interpret(List<Map<String, Object>> rows, Instant now, CheckContext context) {
        long minutes = (long) context.number("deadlock_window_minutes", 60);
        CheckResult.Builder result = CheckResult.builder();
        if (rows.isEmpty() || text(rows.getFirst(), "target_data").isEmpty()) {
            return result.add(Finding.of("MSSQL_DEADLOCK_HISTORY_UNAVAILABLE", Severity.INFO,
                            "The system_health session is not running: recent deadlocks cannot be read")
                    .recommendation("ALTER EVENT SESSION system_health ON SERVER STATE = START;  -- it runs by default")
                    .playbook(playbook("mssql_deadlocks")).build()).build();
        }
        Instant since = now.minus(Duration.ofMinutes(minutes));
        List<Map<String, Object>> deadlocks = new ArrayList<>();
        for (Element event : Xml.children(Xml.parse(String.valueOf(rows.getFirst().get("target_data"))), "event")) {
            if (!"xml_deadlock_report".equals(event.getAttribute("name"))) {
                continue;
            }
            Instant at = instant(event.getAttribute("timestamp"));
            if (at == null || at.isBefore(since)) {
                continue;
            }
            Element report = null;
            for (Element data : Xml.children(event, "data")) {
                if ("xml_report".equals(data.getAttribute("name"))) {
                    report = Xml.path(data, "value", "deadlock");
                }
            }
            if (report != null) {
                deadlocks.add(deadlock(at, report));
            }
        }
        deadlocks.sort((a, b) -> String.valueOf(b.get("time")).compareTo(String.valueOf(a.get("time"))));
        result.metric("deadlocks", deadlocks.size());
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
        String on = resources.isEmpty() ? "" : " on " + resources.stream().map(r -> text(r, "object")).filter(o -> !o.isEmpty())
                .distinct().collect(Collectors.joining(", "));
        Severity severity = deadlocks.size() >= context.number("deadlocks_critical", 10) ? Severity.CRITICAL : Severity.WARNING;
        return result.add(Finding.of("MSSQL_DEADLOCKS", severity, deadlocks.size() + (deadlocks.size() == 1 ? " deadlock" : " deadlocks")
                                + " in the last " + minutes + " min; the latest chose session " + text(victim, "sessionId")
                                + (text(victim, "clientApp").isEmpty() ? "" : " (" + text(victim, "clientApp") + ")") + " as victim" + on)
                        .detail("SQL Server ended the victim's transaction with error 1205; the application must retry it. Repeated "
                                + "deadlocks between the same statements come from the order in which they touch rows or tables.")
                        // A deadlock has no standing head blocker: the server already broke the cycle.
                        .evidence("headBlockers", List.of())
                        .evidence("deadlockCount", deadlocks.size())
                        .evidence("deadlocks", deadlocks.stream().limit(5).toList())
                        .recommendation("Compare the statements of each process: make them touch tables and rows in the same order, "
                                + "keep transactions short, and index the predicates so fewer rows are locked. The full graphs: "
                                + "the system_health event file (xml_deadlock_report) in SSMS.")
                        .playbook(playbook("mssql_deadlocks")).build())
                .build();
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
