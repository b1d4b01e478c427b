package dbtool.logs.mining;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Scores the template miner on Loghub-2k (../shared/datasets/loghub-2k, never copied into the
 * repository) the way log-parsing papers do, on the {@code Content} column:
 * grouping accuracy (GA: the share of lines whose mined group holds exactly the lines of their
 * ground-truth group) and parsing accuracy (PA: the share of lines whose template equals the
 * ground truth once both are normalised the same way: whitespace runs as one space, runs of
 * adjacent wildcards as one).
 *
 * <p>{@code java ... dbtool.logs.mining.Loghub [DIR]} prints the per-system table beside Drain's
 * published numbers (bench/logs/loghub.sh).
 */
public final class Loghub {

    /** The 12 systems of the shared sample and Drain's published GA (Zhu et al. 2019, tuned per system). */
    static final Map<String, Double> DRAIN_GA = new LinkedHashMap<>();

    static {
        DRAIN_GA.put("Android", 0.911);
        DRAIN_GA.put("Apache", 1.000);
        DRAIN_GA.put("BGL", 0.963);
        DRAIN_GA.put("HDFS", 0.998);
        DRAIN_GA.put("HPC", 0.887);
        DRAIN_GA.put("Hadoop", 0.948);
        DRAIN_GA.put("HealthApp", 0.780);
        DRAIN_GA.put("Linux", 0.690);
        DRAIN_GA.put("OpenSSH", 0.788);
        DRAIN_GA.put("Spark", 0.920);
        DRAIN_GA.put("Windows", 0.997);
        DRAIN_GA.put("Zookeeper", 0.967);
    }

    public record Score(String system, int lines, int truthTemplates, int minedTemplates, double ga, double pa) {
    }

    private Loghub() {
    }

    /** The dataset folder: {@code dbtool.loghub} or ../shared/datasets/loghub-2k from the repository root. */
    public static Optional<Path> dataset() {
        String property = System.getProperty("dbtool.loghub");
        List<Path> candidates = new ArrayList<>();
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("shared/datasets/loghub-2k"));
            candidates.add(dir.resolve("../shared/datasets/loghub-2k").normalize());
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("HDFS_2k.log_structured.csv"))).findFirst();
    }

    public static Score score(Path dir, String system) throws IOException {
        List<String> contents = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(dir.resolve(system + "_2k.log_structured.csv"), StandardCharsets.UTF_8)) {
            for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                contents.add(record.get("Content"));
                truth.add(record.get("EventTemplate"));
            }
        }
        TemplateMiner miner = new TemplateMiner();
        List<TemplateMiner.Template> assigned = new ArrayList<>(contents.size());
        for (String content : contents) {
            assigned.add(miner.add(content));
        }
        // A mined group is a final template key: templates that read the same are one pattern.
        List<String> mined = assigned.stream().map(t -> t.resolve().key()).toList();
        Map<String, List<Integer>> minedGroups = groups(mined);
        Map<String, List<Integer>> truthGroups = groups(truth);
        int grouped = 0;
        int parsed = 0;
        for (int i = 0; i < contents.size(); i++) {
            if (minedGroups.get(mined.get(i)).equals(truthGroups.get(truth.get(i)))) {
                grouped++;
            }
            if (normalise(mined.get(i)).equals(normalise(truth.get(i)))) {
                parsed++;
            }
        }
        int lines = contents.size();
        Map<TemplateMiner.Template, Boolean> distinct = new IdentityHashMap<>();
        assigned.forEach(t -> distinct.put(t, true));
        return new Score(system, lines, truthGroups.size(), minedGroups.size(), (double) grouped / lines, (double) parsed / lines);
    }

    private static Map<String, List<Integer>> groups(List<String> labels) {
        Map<String, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            groups.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    /** Whitespace runs as one space, adjacent wildcards (with or without space between) as one. */
    static String normalise(String template) {
        String t = template.strip().replaceAll("\\s+", " ");
        String before;
        do {
            before = t;
            t = t.replace("<*> <*>", "<*>").replace("<*><*>", "<*>");
        } while (!t.equals(before));
        return t;
    }

    public static List<Score> scoreAll(Path dir) throws IOException {
        List<Score> scores = new ArrayList<>();
        for (String system : DRAIN_GA.keySet()) {
            scores.add(score(dir, system));
        }
        return scores;
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : dataset().orElseThrow(() -> new IOException("no loghub-2k dataset found"));
        List<Score> scores = scoreAll(dir);
        StringBuilder out = new StringBuilder();
        out.append("| system | lines | templates (truth) | templates (mined) | GA | PA | Drain GA (tuned per system) |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        double ga = 0;
        double pa = 0;
        double drain = 0;
        for (Score s : scores) {
            out.append(String.format("| %s | %d | %d | %d | %.3f | %.3f | %.3f |%n", s.system(), s.lines(), s.truthTemplates(),
                    s.minedTemplates(), s.ga(), s.pa(), DRAIN_GA.get(s.system())));
            ga += s.ga();
            pa += s.pa();
            drain += DRAIN_GA.get(s.system());
        }
        int n = scores.size();
        out.append(String.format("| **average** | | | | **%.3f** | **%.3f** | %.3f |%n", ga / n, pa / n, drain / n));
        System.out.print(out);
    }
}
