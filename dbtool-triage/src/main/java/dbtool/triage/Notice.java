package dbtool.triage;

import dbtool.core.report.CheckReport;
import dbtool.core.report.Report;
import dbtool.spi.Finding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What receivers are told: one incident at one moment (triggered, repeated, resolved), with what
 * triage knows of it. Texts shown to people come from {@link Render}.
 *
 * @param action         TRIGGER, REPEAT or RESOLVE (GROUPED for a ticket comment naming another target)
 * @param key            the incident key: {@code target|root code}; PagerDuty's dedup_key
 * @param report         the report, null for a resolution that carries none
 * @param row            the incident as stored after this observation
 * @param playbookBase   prefix for a finding's playbook path ({@code https://dbtool.example/}), "" to show the path
 * @param otherTarget    for GROUPED: the target that has the same cause
 */
public record Notice(IncidentBook.Action action, String key, String target, String engine, Classification classification, RootCause cause,
                     Report report, Map<String, String> alertLabels, Map<String, String> alertAnnotations, IncidentBook.Row row,
                     String playbookBase, String otherTarget) {

    public Notice {
        alertLabels = alertLabels == null ? Map.of() : Map.copyOf(alertLabels);
        alertAnnotations = alertAnnotations == null ? Map.of() : Map.copyOf(alertAnnotations);
    }

    public boolean resolved() {
        return action == IncidentBook.Action.RESOLVE;
    }

    public Priority priority() {
        return classification != null ? classification.priority() : row != null ? row.priority() : Priority.P5;
    }

    /** The root finding's code, else what the incident row says. */
    public String rootCode() {
        return cause != null && cause.root() != null ? cause.root().code() : row != null ? row.rootCode() : "";
    }

    /** The session ids at the root of the blocking trees (the contract's {@code headBlockers}). */
    public List<Long> headBlockers() {
        Set<Long> heads = new LinkedHashSet<>();
        for (Finding finding : findings()) {
            heads.addAll(RootCause.pids(finding.evidence().get("headBlockers")));
        }
        return List.copyOf(heads);
    }

    /** Every finding of the report at WARNING or worse, root first, then its consequences, then the rest. */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        if (cause != null && cause.root() != null) {
            all.add(cause.root());
            all.addAll(cause.consequences());
            all.addAll(cause.others());
        }
        return all;
    }

    /** The statements to run (printed by dbtool, never run): the root's recommendation first. */
    public List<String> statements() {
        Set<String> statements = new LinkedHashSet<>();
        for (Finding finding : findings()) {
            if (!finding.recommendation().isBlank()) {
                statements.add(finding.recommendation().strip());
            }
            if (statements.size() == 2) {
                break;
            }
        }
        return List.copyOf(statements);
    }

    /** The playbook link of a finding. */
    public String playbook(Finding finding) {
        if (finding.playbook().isBlank() || finding.playbook().contains("://") || playbookBase.isEmpty()) {
            return finding.playbook();
        }
        return playbookBase.replaceAll("/+$", "") + "/" + finding.playbook().replaceAll("^/+", "");
    }

    /** The check a finding came from, for evidence headings. */
    public String checkOf(Finding finding) {
        if (report != null) {
            for (CheckReport check : report.checks()) {
                if (check.findings().contains(finding)) {
                    return check.id();
                }
            }
        }
        return "";
    }
}
