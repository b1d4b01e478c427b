package dbtool.logs.analysis;

import dbtool.logs.mining.TemplateMiner;
import dbtool.logs.read.LogEntry;
import dbtool.logs.rules.LogRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entries in, patterns and causes out: every entry's message is mined into a template and counted
 * in its pattern, and the engine's rules read it for causes. Memory is bounded by the miner's
 * template cap and the rules' counters, not by the size of the log.
 */
public final class LogAnalysis {

    private final TemplateMiner miner = new TemplateMiner();
    private final LogRules rules;
    private final Map<Integer, Pattern> byTemplate = new HashMap<>();
    private final Map<Integer, TemplateMiner.Template> templates = new HashMap<>();
    private long entries;
    private long benignEntries;

    public LogAnalysis(LogRules rules) {
        this.rules = rules;
        // what is counted per template goes with an evicted template: memory stays bounded by the cap
        miner.onEviction(template -> {
            templates.remove(template.id());
            byTemplate.remove(template.id());
        });
    }

    /** Mines and counts one entry; returns its template (as of now: later lines may generalise it). */
    public TemplateMiner.Template add(LogEntry entry) {
        entries++;
        TemplateMiner.Template template = miner.add(entry.message());
        Pattern pattern;
        if (template.tag() instanceof Pattern known) {
            pattern = known;
        } else {
            pattern = new Pattern(template.id());
            byTemplate.put(template.id(), pattern);
            templates.put(template.id(), template);
            template.tag(pattern);
        }
        pattern.add(entry.timestamp(), entry.severity(), entry.code(), entry.message());
        if (rules.benign(entry)) {
            benignEntries++;
            pattern.addBenign();
        }
        rules.accept(entry);
        return template;
    }

    public long entries() {
        return entries;
    }

    public long benignEntries() {
        return benignEntries;
    }

    public long evictedLines() {
        return miner.evictedLines();
    }

    public LogRules rules() {
        return rules;
    }

    /**
     * The patterns, worst severity first and then the most frequent: templates joined into another
     * and templates that read the same are one pattern; a pattern is benign when all its entries were.
     */
    public List<Pattern> patterns() {
        Map<String, Pattern> byKey = new LinkedHashMap<>();
        List<Integer> ids = new ArrayList<>(byTemplate.keySet());
        ids.sort(Integer::compare);
        for (int id : ids) {
            Pattern pattern = byTemplate.get(id);
            String key = templates.get(id).resolve().key();
            pattern.benign(pattern.benignCount() == pattern.count());
            pattern.template(key);
            Pattern existing = byKey.get(key);
            if (existing == null) {
                byKey.put(key, pattern);
            } else {
                // joined into a copy: asked again (a --follow redraw), the counts are not added twice
                Pattern joined = byTemplate.get(existing.id()) == existing ? existing.copy() : existing;
                joined.absorb(pattern);
                byKey.put(key, joined);
            }
        }
        List<Pattern> patterns = new ArrayList<>(byKey.values());
        patterns.sort(Comparator.comparing(Pattern::level).reversed()
                .thenComparing(Comparator.comparingLong(Pattern::count).reversed())
                .thenComparingInt(Pattern::id));
        return patterns;
    }
}
