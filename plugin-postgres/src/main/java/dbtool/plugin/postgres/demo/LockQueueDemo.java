package dbtool.plugin.postgres.demo;

import java.util.Map;

/** {@code dbtool demo --scenario lock-queue}: readers queued behind a waiting ALTER TABLE (the Book, chapter 2). */
public final class LockQueueDemo extends StagedDemo {

    public LockQueueDemo() {
        super("lock-queue", "a report query, an ALTER TABLE queued behind it, and reads queued behind the ALTER (Book, chapter 2)",
                40, Map.of());
    }

    @Override
    String stage(Incident incident) throws Exception {
        incident.lockQueue("invoices");
        return "a report reading invoices, an ALTER TABLE and a reader queued behind it";
    }
}
