package dbtool.triage;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which finding of a report explains the others. A blocking tree is the pivot: its head blockers are
 * the sessions everything else waits on. A finding about those same sessions outside the lock checks
 * (an idle transaction, a long transaction) is the root; the blocking tree, the lock waits, the long
 * queries of sessions inside the tree and the connection pile-up are its consequences. Without a
 * blocking tree, the worst finding is the root and nothing is linked to it. Engine-neutral: it reads
 * the contract's evidence ({@code headBlockers}, {@code blockingTree}, {@code pids}) and code suffixes.
 *
 * @param root         the finding the incident is named after; null when there is nothing at WARNING or worse
 * @param consequences findings the root explains
 * @param others       findings at WARNING or worse that it does not explain
 */
public record RootCause(Finding root, List<Finding> consequences, List<Finding> others) {

    /** What an incident key names: the root's code, or {@code fallback} when there is no root. */
    public String code(String fallback) {
        return root == null ? fallback : root.code();
    }

    public static RootCause of(Report report) {
        if (report == null) {
            return new RootCause(null, List.of(), List.of());
        }
        List<Finding> relevant = new ArrayList<>();
        List<Finding> locks = new ArrayList<>();
        Set<Long> heads = new LinkedHashSet<>();
        Set<Long> inTrees = new LinkedHashSet<>();
        for (CheckReport check : report.checks()) {
            for (Finding finding : check.findings()) {
                if (finding.severity().rank() < Severity.WARNING.rank()) {
                    continue;
                }
                relevant.add(finding);
                List<Long> named = pids(finding.evidence().get("headBlockers"));
                if (!named.isEmpty() && (check.category().equals("locks") || finding.evidence().containsKey("blockingTree"))) {
                    locks.add(finding);
                    heads.addAll(named);
                    collectTree(finding.evidence().get("blockingTree"), inTrees);
                }
            }
        }
        relevant.sort((a, b) -> b.severity().rank() - a.severity().rank());
        if (relevant.isEmpty()) {
            return new RootCause(null, List.of(), List.of());
        }
        if (heads.isEmpty()) {
            return new RootCause(relevant.getFirst(), List.of(), relevant.subList(1, relevant.size()));
        }
        Finding root = null;
        int best = -1;
        for (Finding finding : relevant) {
            if (locks.contains(finding)) {
                continue;
            }
            List<Long> about = new ArrayList<>(pids(finding.evidence().get("pids")));
            about.addAll(pids(finding.evidence().get("headBlockers")));
            if (about.stream().noneMatch(heads::contains)) {
                continue;
            }
            int rank = finding.code().endsWith("IDLE_IN_TRANSACTION") ? 3 : finding.code().endsWith("LONG_TRANSACTION") ? 2 : 1;
            if (rank > best) {
                best = rank;
                root = finding;
            }
        }
        if (root == null) {
            // The blocking tree itself is the root: prefer the one with the tree.
            root = locks.stream().filter(f -> f.evidence().containsKey("blockingTree")).findFirst().orElse(locks.getFirst());
        }
        List<Finding> consequences = new ArrayList<>();
        List<Finding> others = new ArrayList<>();
        for (Finding finding : relevant) {
            if (finding == root) {
                continue;
            }
            if (explained(finding, locks, heads, inTrees)) {
                consequences.add(finding);
            } else {
                others.add(finding);
            }
        }
        return new RootCause(root, List.copyOf(consequences), List.copyOf(others));
    }

    private static boolean explained(Finding finding, List<Finding> locks, Set<Long> heads, Set<Long> inTrees) {
        if (locks.contains(finding) || finding.code().endsWith("LOCK_WAITS") || finding.code().endsWith("CONNECTIONS_NEAR_LIMIT")) {
            return true; // the tree, the waits on it, the pile-up of waiting sessions
        }
        List<Long> about = pids(finding.evidence().get("pids"));
        if (!about.isEmpty() && (inTrees.containsAll(about) || about.stream().anyMatch(heads::contains))) {
            return true; // long queries waiting inside the tree; the head's own long transaction
        }
        return about.isEmpty() && (finding.code().endsWith("LONG_QUERY") || finding.code().endsWith("LONG_REQUEST"));
    }

    private static void collectTree(Object tree, Set<Long> into) {
        if (tree instanceof Collection<?> nodes) {
            for (Object node : nodes) {
                if (node instanceof Map<?, ?> map) {
                    if (map.get("pid") instanceof Number pid) {
                        into.add(pid.longValue());
                    }
                    collectTree(map.get("blocked"), into);
                }
            }
        }
    }

    static List<Long> pids(Object value) {
        List<Long> pids = new ArrayList<>();
        if (value instanceof Collection<?> values) {
            for (Object v : values) {
                if (v instanceof Number n) {
                    pids.add(n.longValue());
                }
            }
        }
        return pids;
    }
}
