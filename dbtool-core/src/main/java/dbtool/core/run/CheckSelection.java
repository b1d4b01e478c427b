package dbtool.core.run;

import dbtool.core.DbtoolException;
import dbtool.spi.Category;
import dbtool.spi.Check;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which checks a troubleshoot runs: all, or those named by {@code --check} (check ids and
 * category names, comma separated). Checks run connectivity first, then locks, resources,
 * queries, then plugin-specific categories; within a category in the plugin's order.
 */
public final class CheckSelection {

    private CheckSelection() {
    }

    public static List<Check> select(List<Check> available, String spec, String engine) {
        List<Check> ordered = new ArrayList<>(available);
        ordered.sort(Comparator.comparingInt(CheckSelection::categoryOrder));
        if (spec == null) {
            return ordered;
        }
        Set<String> wanted = wanted(spec);
        Set<String> known = new TreeSet<>();
        available.forEach(c -> {
            known.add(c.id());
            known.add(c.category());
        });
        for (String name : wanted) {
            if (!known.contains(name)) {
                throw DbtoolException.usage("--check: unknown check or category '" + name + "' for " + engine
                        + Suggestions.didYouMean(name, known) + "; available: "
                        + (known.isEmpty() ? "none (the plugin has no checks yet)" : String.join(", ", known)));
            }
        }
        return ordered.stream().filter(c -> wanted.contains(c.id()) || wanted.contains(c.category())).toList();
    }

    /**
     * The names in a {@code --check} value, lower case. A value that names nothing ({@code ""},
     * {@code ,,,}) is a usage error: running every check, or none, is not what was asked for.
     */
    public static Set<String> wanted(String spec) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                wanted.add(part.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (wanted.isEmpty()) {
            throw DbtoolException.usage("--check: expected check ids or categories separated by commas, got '" + spec
                    + "'; leave --check out to run every check ('dbtool checks' lists them)");
        }
        return wanted;
    }

    private static int categoryOrder(Check check) {
        int index = Category.STANDARD.indexOf(check.category());
        return index >= 0 ? index : Category.STANDARD.size();
    }

    /** All ids and categories, for completion. */
    public static List<String> names(List<Check> checks) {
        Set<String> names = new TreeSet<>();
        checks.forEach(c -> names.addAll(Arrays.asList(c.id(), c.category())));
        return List.copyOf(names);
    }
}
