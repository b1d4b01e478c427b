package dbtool.plugin.postgres.demo;

import java.util.Map;

/** {@code dbtool demo --scenario long-query}: a report that runs and runs (the Book, chapter 4). */
public final class LongQueryDemo extends StagedDemo {

    public LongQueryDemo() {
        super("long-query", "a report query running for an hour, and the transaction it holds open (Book, chapter 4)",
                40, Map.of("long_query_seconds", "1"));
    }

    @Override
    String stage(Incident incident) throws Exception {
        incident.longQuery("nightly-report", 3600);
        return "a long report query";
    }
}
