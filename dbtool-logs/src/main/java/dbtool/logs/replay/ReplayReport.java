package dbtool.logs.replay;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.core.IoErrors;
import dbtool.core.Version;
import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.core.report.TargetInfo;
import dbtool.logs.analysis.Printable;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code dbtool replay report}: the capture against its replay, per statement template: latency
 * percentiles before and after, errors new and gone, the lock waits sampled, and the regressions
 * ranked by the time they add. Both files are streamed; what is kept is one latency per statement.
 */
public final class ReplayReport {

    /** Every finding code the report gives; each is a section of docs/playbooks/session-replay.md. */
    public static final Set<String> CODES = Set.of("REPLAY_REGRESSIONS", "REPLAY_NEW_ERRORS", "REPLAY_ERRORS_GONE", "REPLAY_LOCK_WAITS",
            "REPLAY_SUMMARY");
    /** A template regressed when its replayed p95 is this many times its original p95 ... */
    static final double REGRESSION_RATIO = 2.0;
    /** ... and at least this many milliseconds more (sub-millisecond noise is no regression). */
    static final double REGRESSION_MIN_MS = 1.0;
    private static final String PLAYBOOK = "docs/playbooks/session-replay.md#";

    /** One template's numbers on both sides. */
    static final class Stats {
        final String template;
        final Latencies original = new Latencies();
        final Latencies replayed = new Latencies();
        final Map<String, Long> originalErrors = new TreeMap<>();
        final Map<String, Long> replayedErrors = new TreeMap<>();
        final Map<String, String> replayedMessages = new HashMap<>();
        long originalCount;
        long replayedCount;
        long skipped;

        Stats(String template) {
            this.template = template;
        }

        /** The milliseconds the replay added over all its statements of this template (p50 difference times the count). */
        double addedMs() {
            return (replayed.percentile(50) - original.percentile(50)) * replayedCount;
        }

        boolean regressed() {
            if (original.size() == 0 || replayed.size() == 0) {
                return false;
            }
            double before = original.percentile(95);
            double after = replayed.percentile(95);
            return after >= before * REGRESSION_RATIO && after - before >= REGRESSION_MIN_MS;
        }
    }

    /** Latencies in milliseconds, for percentiles. */
    static final class Latencies {
        private double[] values = new double[16];
        private int size;
        private boolean sorted = true;

        void add(double ms) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = ms;
            sorted = false;
        }

        int size() {
            return size;
        }

        /** The nearest-rank percentile; 0 when empty. */
        double percentile(double p) {
            if (size == 0) {
                return 0;
            }
            if (!sorted) {
                Arrays.sort(values, 0, size);
                sorted = true;
            }
            int rank = (int) Math.ceil(p / 100 * size);
            return values[Math.max(0, Math.min(size - 1, rank - 1))];
        }
    }

    /** What the two files held. */
    record Result(CaptureFile.Header header, Map<String, Stats> templates, String target, long lockWaitSamples,
                  List<Map<String, Object>> lockWaits, long captured, long replayed) {
    }

    private ReplayReport() {
    }

    /** Reads the capture and the run. */
    static Result read(String capturePath, String runPath) {
        Map<String, Stats> templates = new HashMap<>();
        CaptureFile.Header header;
        long captured = 0;
        try (CaptureFile.In capture = new CaptureFile.In(capturePath)) {
            header = capture.header();
            CaptureEvent event;
            while ((event = capture.next()) != null) {
                if (event.kind() != CaptureEvent.Kind.STATEMENT) {
                    continue;
                }
                captured++;
                Stats stats = templates.computeIfAbsent(Templates.of(event.sql()), Stats::new);
                stats.originalCount++;
                if (event.ms() >= 0) {
                    stats.original.add(event.ms());
                }
                if (event.error() != null) {
                    stats.originalErrors.merge(event.error(), 1L, Long::sum);
                }
            }
        }
        return readRun(runPath, header, templates, captured);
    }

    private static Result readRun(String runPath, CaptureFile.Header header, Map<String, Stats> templates, long captured) {
        String target = null;
        long samples = 0;
        long replayed = 0;
        List<Map<String, Object>> waits = new ArrayList<>();
        boolean isRun = false;
        try (Reader file = Files.newBufferedReader(Path.of(runPath), StandardCharsets.UTF_8); JsonReader json = new JsonReader(file)) {
            json.beginObject();
            while (json.hasNext()) {
                switch (json.nextName()) {
                    case "format" -> isRun = RunFile.FORMAT.equals(json.nextString());
                    case "target" -> target = json.nextString();
                    case "statements" -> {
                        json.beginArray();
                        while (json.hasNext()) {
                            replayed += statement(json, templates);
                        }
                        json.endArray();
                    }
                    case "lockWaitSamples" -> samples = json.nextLong();
                    case "lockWaits" -> {
                        json.beginArray();
                        while (json.hasNext()) {
                            waits.add(flat(json));
                        }
                        json.endArray();
                    }
                    default -> json.skipValue();
                }
            }
            json.endObject();
        } catch (NoSuchFileException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, runPath + ": no such file");
        } catch (EOFException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, runPath + ": truncated (the replay did not finish writing it)");
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, runPath + ": not a run file of 'dbtool replay run' (" + IoErrors.describe(e) + ")");
        }
        if (!isRun) {
            throw new DbtoolException(ExitCodes.NO_INPUT, runPath + ": not a run file of 'dbtool replay run' (no \"format\": \""
                    + RunFile.FORMAT + "\")");
        }
        return new Result(header, templates, target, samples, waits, captured, replayed);
    }

    /** One statement record into its template's numbers; 1 when it was run, 0 when skipped. */
    private static int statement(JsonReader json, Map<String, Stats> templates) throws IOException {
        Map<String, Object> record = flat(json);
        Stats stats = templates.computeIfAbsent(String.valueOf(record.get("template")), Stats::new);
        if (record.containsKey("skipped")) {
            stats.skipped++;
            return 0;
        }
        stats.replayedCount++;
        if (record.get("ms") instanceof Double ms && ms >= 0) {
            stats.replayed.add(ms);
        }
        if (record.get("error") instanceof String error) {
            stats.replayedErrors.merge(error, 1L, Long::sum);
            stats.replayedMessages.putIfAbsent(error, String.valueOf(record.get("message")));
        }
        return 1;
    }

    /** A JSON object of strings and numbers. */
    private static Map<String, Object> flat(JsonReader json) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        json.beginObject();
        while (json.hasNext()) {
            String name = json.nextName();
            JsonToken token = json.peek();
            if (token == JsonToken.NUMBER) {
                values.put(name, json.nextDouble());
            } else if (token == JsonToken.NULL) {
                json.nextNull();
            } else if (token == JsonToken.STRING || token == JsonToken.BOOLEAN) {
                values.put(name, token == JsonToken.STRING ? json.nextString() : Boolean.toString(json.nextBoolean()));
            } else {
                json.skipValue();
            }
        }
        json.endObject();
        return values;
    }

    /** The report contract: one check, its findings, its metrics. */
    static Report report(Result result, Instant started, long durationMs, int top) {
        List<Stats> all = new ArrayList<>(result.templates().values());
        List<Finding> findings = new ArrayList<>();
        List<Stats> regressions = all.stream().filter(Stats::regressed).sorted(Comparator.comparingDouble(Stats::addedMs).reversed()).toList();
        if (!regressions.isEmpty()) {
            findings.add(Finding.of("REPLAY_REGRESSIONS", Severity.WARNING, regressions.size() + " statement templates slower on the replay target")
                    .detail("Templates whose replayed p95 is " + (int) REGRESSION_RATIO + " times the captured p95 or more (and "
                            + REGRESSION_MIN_MS + " ms more), ranked by the time they add.")
                    .evidence("templates", regressions.stream().limit(top).map(ReplayReport::latencies).toList())
                    .playbook(PLAYBOOK + "replay_regressions").build());
        }
        List<Map<String, Object>> fresh = new ArrayList<>();
        List<Map<String, Object>> gone = new ArrayList<>();
        for (Stats stats : all) {
            stats.replayedErrors.forEach((code, count) -> {
                long before = stats.originalErrors.getOrDefault(code, 0L);
                if (count > before) {
                    fresh.add(errors(stats, code, before, count, stats.replayedMessages.get(code)));
                }
            });
            stats.originalErrors.forEach((code, count) -> {
                long after = stats.replayedErrors.getOrDefault(code, 0L);
                if (after < count && stats.replayedCount > 0) {
                    gone.add(errors(stats, code, count, after, null));
                }
            });
        }
        Comparator<Map<String, Object>> byReplayed = Comparator.comparingLong(m -> -((Long) m.get("replayed") - (Long) m.get("captured")));
        if (!fresh.isEmpty()) {
            long total = fresh.stream().mapToLong(m -> (Long) m.get("replayed") - (Long) m.get("captured")).sum();
            findings.add(Finding.of("REPLAY_NEW_ERRORS", Severity.CRITICAL, total + " errors in the replay that the capture did not have ("
                            + fresh.size() + " templates)")
                    .detail("Statements that failed on the replay target more often than they did on the source, by SQLSTATE.")
                    .evidence("errors", fresh.stream().sorted(byReplayed).limit(top).toList())
                    .playbook(PLAYBOOK + "replay_new_errors").build());
        }
        if (!gone.isEmpty()) {
            findings.add(Finding.of("REPLAY_ERRORS_GONE", Severity.INFO, gone.size() + " errors of the capture no longer happen in the replay")
                    .evidence("errors", gone.stream().limit(top).toList()).playbook(PLAYBOOK + "replay_errors_gone").build());
        }
        if (result.lockWaitSamples() > 0) {
            findings.add(Finding.of("REPLAY_LOCK_WAITS", Severity.WARNING, result.lockWaitSamples()
                            + " lock waits sampled during the replay")
                    .detail("Sessions seen waiting on another session's lock, sampled every " + LockSampler.INTERVAL.toMillis()
                            + " ms from the target's blocking forest.")
                    .evidence("waits", result.lockWaits().stream().limit(top).toList()).playbook(PLAYBOOK + "replay_lock_waits").build());
        }
        findings.add(Finding.of("REPLAY_SUMMARY", Severity.INFO, result.replayed() + " of " + result.captured() + " captured statements replayed in "
                        + all.size() + " templates")
                .evidence("templates", all.stream().sorted(Comparator.comparingDouble((Stats s) -> s.replayed.percentile(50) * s.replayedCount)
                        .reversed()).limit(top).map(ReplayReport::latencies).toList())
                .playbook(PLAYBOOK + "replay_summary").build());
        Severity status = Severity.OK;
        for (Finding finding : findings) {
            if (finding.severity() != Severity.INFO) {
                status = status.worst(finding.severity());
            }
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("statementsCaptured", result.captured());
        metrics.put("statementsReplayed", result.replayed());
        metrics.put("templates", all.size());
        metrics.put("regressions", regressions.size());
        metrics.put("lockWaitSamples", result.lockWaitSamples());
        CheckReport check = new CheckReport("replay-report", "replay", status, durationMs, null, metrics, findings);
        TargetInfo target = new TargetInfo(result.target() == null ? "replay" : result.target(), "postgresql", "", null, "");
        return Report.of(Version.get(), target, started, durationMs, List.of(check));
    }

    static Map<String, Object> latencies(Stats stats) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("template", stats.template);
        row.put("captured", stats.originalCount);
        row.put("replayed", stats.replayedCount);
        row.put("originalP50Ms", round(stats.original.percentile(50)));
        row.put("originalP95Ms", round(stats.original.percentile(95)));
        row.put("originalP99Ms", round(stats.original.percentile(99)));
        row.put("replayedP50Ms", round(stats.replayed.percentile(50)));
        row.put("replayedP95Ms", round(stats.replayed.percentile(95)));
        row.put("replayedP99Ms", round(stats.replayed.percentile(99)));
        return row;
    }

    private static Map<String, Object> errors(Stats stats, String code, long captured, long replayed, String message) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("template", stats.template);
        row.put("sqlstate", code);
        row.put("captured", captured);
        row.put("replayed", replayed);
        if (message != null) {
            row.put("message", Printable.of(message, 300));
        }
        return row;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
