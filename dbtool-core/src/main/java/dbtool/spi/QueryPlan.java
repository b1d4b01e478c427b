package dbtool.spi;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ActivityView#plan} found: the plan's lines (the engine's own text, or a summary of
 * it), or why there is none ("the table is locked: waited 500 ms", "the statement has parameters").
 */
public record QueryPlan(List<String> lines, String unavailable) {

    public QueryPlan {
        lines = List.copyOf(lines);
    }

    public static QueryPlan of(List<String> lines) {
        return new QueryPlan(lines, null);
    }

    public static QueryPlan unavailable(String why) {
        return new QueryPlan(List.of(), Objects.requireNonNull(why));
    }

    public boolean available() {
        return unavailable == null;
    }
}
