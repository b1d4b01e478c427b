package dbtool.spi;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ActivityView#plan} found: the plan's lines (the engine's own text, or a summary of
 * it), or why there is none ("the table is locked: waited 500 ms", "the statement has parameters").
 *
 * @param lines       the plan, one line each; empty when there is none
 * @param unavailable why there is no plan, in one line; null when there is one
 */
public record QueryPlan(List<String> lines, String unavailable) {

    /** Copies the lines, masking password literals in them and in the reason ({@link Redaction#redactSql}). */
    public QueryPlan {
        lines = List.copyOf(lines.stream().map(Redaction::redactSql).toList());
        unavailable = Redaction.redactSql(unavailable);
    }

    /**
     * A plan.
     *
     * @param lines the plan's lines
     * @return the plan
     */
    public static QueryPlan of(List<String> lines) {
        return new QueryPlan(lines, null);
    }

    /**
     * No plan, and why.
     *
     * @param why one line, e.g. "a table it uses is locked by another session"
     * @return the answer without a plan
     */
    public static QueryPlan unavailable(String why) {
        return new QueryPlan(List.of(), Objects.requireNonNull(why));
    }

    /**
     * Whether there is a plan.
     *
     * @return true when {@link #lines()} holds the plan
     */
    public boolean available() {
        return unavailable == null;
    }
}
