package dbtool.core.cli;

import dbtool.core.DbtoolException;
import dbtool.core.config.Config;
import dbtool.core.config.TargetConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/** The targets of a fleet troubleshoot (and of {@code dbtool serve}): from a file (one per line) and/or a configured tag, without duplicates. */
public final class FleetTargets {

    private FleetTargets() {
    }

    public static List<String> collect(String file, String tag, Config config) {
        LinkedHashSet<String> targets = new LinkedHashSet<>();
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw DbtoolException.usage("--targets-file: cannot read " + file + ": " + e.getMessage());
            }
            for (String line : lines) {
                String target = line.strip();
                if (!target.isEmpty() && !target.startsWith("#")) {
                    targets.add(target);
                }
            }
            if (targets.isEmpty()) {
                throw DbtoolException.usage("--targets-file: " + file + " lists no targets (one name or URL per line)");
            }
        }
        if (tag != null) {
            List<String> tagged = config.targets().values().stream().filter(t -> t.tags().contains(tag)).map(TargetConfig::name).toList();
            if (tagged.isEmpty()) {
                TreeSet<String> known = new TreeSet<>();
                config.targets().values().forEach(t -> known.addAll(t.tags()));
                throw DbtoolException.usage("--tag: no configured target has the tag '" + tag + "'; tags in use: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
            targets.addAll(tagged);
        }
        return List.copyOf(targets);
    }
}
