package dbtool.logs.analysis;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What to compare a run with: the previous run of the same source ({@link BaselineStore}), or a
 * {@code dbtool logs --format json} report named by {@code --baseline}: which templates it knew and
 * what share of its entries each took. A pattern it does not list is new; a pattern whose share of
 * the entries grew {@value #SPIKE_RATIO} times or more (and counts at least {@value #SPIKE_MIN}) spiked.
 * A report knows only the patterns it listed: make such baselines with a generous {@code --top}.
 */
public final class Baseline {

    public static final double SPIKE_RATIO = 5.0;
    public static final long SPIKE_MIN = 10;

    private final Map<String, Long> counts;
    private final long entries;
    private final String description;

    private Baseline(Map<String, Long> counts, long entries, String description) {
        this.counts = counts;
        this.entries = entries;
        this.description = description;
    }

    /** A baseline of these template counts out of {@code entries}, described for the report (where it came from). */
    static Baseline of(Map<String, Long> counts, long entries, String description) {
        return new Baseline(counts, entries, description);
    }

    /** Where it came from: the previous run kept for the source, or the report named by --baseline. */
    public String description() {
        return description;
    }

    public static Baseline read(String file) {
        String text;
        try {
            text = Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, "--baseline " + file + ": no such file");
        } catch (IOException e) {
            throw new DbtoolException(ExitCodes.NO_INPUT, "--baseline " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        try {
            JsonObject report = JsonParser.parseString(text).getAsJsonObject();
            Map<String, Long> counts = new HashMap<>();
            long entries = 0;
            for (JsonElement check : report.getAsJsonArray("checks")) {
                JsonObject c = check.getAsJsonObject();
                if (!"log-patterns".equals(c.get("id").getAsString())) {
                    continue;
                }
                entries = c.getAsJsonObject("metrics").get("entries").getAsLong();
                for (JsonElement finding : c.getAsJsonArray("findings")) {
                    JsonObject evidence = finding.getAsJsonObject().getAsJsonObject("evidence");
                    for (String list : new String[] {"patterns", "routine"}) {
                        if (evidence.has(list)) {
                            for (JsonElement p : evidence.getAsJsonArray(list)) {
                                JsonObject pattern = p.getAsJsonObject();
                                counts.merge(pattern.get("template").getAsString(), pattern.get("count").getAsLong(), Long::sum);
                            }
                        }
                    }
                }
            }
            if (entries == 0) {
                throw new DbtoolException(ExitCodes.USAGE, "--baseline " + file + ": not a 'dbtool logs --format json' report (no log-patterns check)");
            }
            return new Baseline(counts, entries, "the report " + file);
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException | UnsupportedOperationException e) {
            throw new DbtoolException(ExitCodes.USAGE, "--baseline " + file + ": not a 'dbtool logs --format json' report");
        }
    }

    public boolean isNew(Pattern pattern) {
        return !counts.containsKey(Printable.of(pattern.template(), 500));
    }

    /** How many times the pattern's share of entries grew against the baseline, or 0 when it did not spike. */
    public double spike(Pattern pattern, long currentEntries) {
        Long before = counts.get(Printable.of(pattern.template(), 500));
        if (before == null || before == 0 || pattern.count() < SPIKE_MIN || currentEntries == 0) {
            return 0;
        }
        double ratio = ((double) pattern.count() / currentEntries) / ((double) before / entries);
        return ratio >= SPIKE_RATIO ? Math.round(ratio * 10) / 10.0 : 0;
    }
}
