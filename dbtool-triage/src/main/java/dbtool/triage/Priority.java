package dbtool.triage;

import java.util.Locale;

/** Impact-based priority, P1 (page now) to P5 (for the record), and PagerDuty's severity for each. */
public enum Priority {
    P1("critical"), P2("error"), P3("warning"), P4("info"), P5("info");

    private final String pagerDuty;

    Priority(String pagerDuty) {
        this.pagerDuty = pagerDuty;
    }

    /** PagerDuty Events v2 {@code payload.severity}: critical, error, warning or info. */
    public String pagerDuty() {
        return pagerDuty;
    }

    public static Priority parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
