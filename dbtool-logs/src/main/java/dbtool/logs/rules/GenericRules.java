package dbtool.logs.rules;

import dbtool.logs.read.LogEntry;
import dbtool.spi.Finding;
import java.util.List;

/** {@code --layout message}: no engine, so no causes; the patterns speak for themselves. */
final class GenericRules implements LogRules {

    @Override
    public void accept(LogEntry entry) {
    }

    @Override
    public boolean benign(LogEntry entry) {
        return false;
    }

    @Override
    public List<Finding> findings() {
        return List.of();
    }
}
