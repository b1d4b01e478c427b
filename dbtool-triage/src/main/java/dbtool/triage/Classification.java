package dbtool.triage;

import java.util.List;

/**
 * A priority with the reasons for it, first the rule's ("P1: 120 sessions blocked for 9 min on a prod
 * target"), then each fact it looked at.
 */
public record Classification(Priority priority, List<String> reasons) {

    public Classification {
        reasons = List.copyOf(reasons);
    }

    public String summary() {
        return reasons.getFirst();
    }
}
