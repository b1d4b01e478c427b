package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * Read and write tickets (how many operations may run in the storage engine at once) and the
 * operations queued for them. Tickets are {@code wiredTiger.concurrentTransactions} up to 6.0 and
 * {@code queues.execution} from 7.0 on, where their number adjusts itself; the global lock queue
 * {@code globalLock.currentQueue} exists in all of 4.4 to 8.0.
 */
final class TicketsCheck extends MongoCheck {

    static final Threshold AVAILABLE_WARNING = Threshold.number("tickets_warning_ratio", 0.1, "ratio",
            "WARNING when no more than this share of read or write tickets is available");

    static final Threshold QUEUED_WARNING = Threshold.number("queued_operations_warning", 10, "operations",
            "WARNING from this many queued operations");

    static final Threshold QUEUED_CRITICAL = Threshold.number("queued_operations_critical", 100, "operations",
            "CRITICAL from this many queued operations");

    @Override
    public List<Threshold> thresholds() {
        return List.of(AVAILABLE_WARNING, QUEUED_WARNING, QUEUED_CRITICAL);
    }

    TicketsCheck() {
        super("tickets", Category.RESOURCES, "read/write tickets available and operations queued (serverStatus)");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_OPERATIONS_QUEUED", "MONGO_TICKETS_EXHAUSTED");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        return interpret(session.serverStatus(context), context);
    }

    static CheckResult interpret(Document serverStatus, CheckContext context) {
        Document tickets = Docs.has(serverStatus, "queues.execution") ? Docs.doc(serverStatus, "queues.execution")
                : Docs.doc(serverStatus, "wiredTiger.concurrentTransactions");
        long queuedReaders = Docs.longValue(serverStatus, "globalLock.currentQueue.readers");
        long queuedWriters = Docs.longValue(serverStatus, "globalLock.currentQueue.writers");
        CheckResult.Builder result = CheckResult.builder()
                .metric("queued_readers", queuedReaders).metric("queued_writers", queuedWriters)
                .metric("active_readers", Docs.longValue(serverStatus, "globalLock.activeClients.readers"))
                .metric("active_writers", Docs.longValue(serverStatus, "globalLock.activeClients.writers"));
        double warningRatio = AVAILABLE_WARNING.value(context);
        Map<String, Object> exhausted = new LinkedHashMap<>();
        Severity severity = Severity.OK;
        for (String kind : new String[] {"read", "write"}) {
            Document ticket = Docs.doc(tickets, kind);
            if (ticket.isEmpty()) {
                continue;
            }
            long available = Docs.longValue(ticket, "available");
            long total = Docs.longValue(ticket, "totalTickets");
            long out = Docs.longValue(ticket, "out");
            result.metric(kind + "_tickets_available", available).metric(kind + "_tickets_out", out).metric(kind + "_tickets_total", total);
            long queued = kind.equals("read") ? queuedReaders : queuedWriters;
            if (total > 0 && available <= total * warningRatio) {
                severity = severity.worst(available == 0 && queued > 0 ? Severity.CRITICAL : Severity.WARNING);
                exhausted.put(kind, out + " of " + total + " in use, " + available + " available, " + queued + " queued");
            }
        }
        if (!exhausted.isEmpty()) {
            result.add(Finding.of("MONGO_TICKETS_EXHAUSTED", severity,
                            "Storage engine " + String.join(" and ", exhausted.keySet()) + " tickets are nearly all in use")
                    .detail("Each operation needs a ticket to work in the storage engine. When none are left, operations queue "
                            + "even though the server looks idle on CPU: the tickets are held by slow operations (disk, cache "
                            + "eviction, lock waits). More tickets rarely helps; finding what holds them does.")
                    .evidence("tickets", exhausted)
                    .recommendation("Look at the slow-operations, lock-waits and wiredtiger-cache checks for what holds the tickets; "
                            + "watch with db.serverStatus().queues (7.0+) or db.serverStatus().wiredTiger.concurrentTransactions.")
                    .playbook(playbook("MONGO_TICKETS_EXHAUSTED")).build());
        }
        long queued = queuedReaders + queuedWriters;
        if (queued >= QUEUED_WARNING.value(context)) {
            result.add(Finding.of("MONGO_OPERATIONS_QUEUED",
                            queued >= QUEUED_CRITICAL.value(context) ? Severity.CRITICAL : Severity.WARNING,
                            queued + " operations are queued for locks or tickets (" + queuedReaders + " readers, " + queuedWriters + " writers)")
                    .detail("globalLock.currentQueue counts operations waiting for a lock or a ticket right now.")
                    .evidence("queuedReaders", queuedReaders)
                    .evidence("queuedWriters", queuedWriters)
                    .recommendation("See the lock-waits check for a blocking operation, and the tickets and wiredtiger-cache checks "
                            + "for storage engine saturation.")
                    .playbook(playbook("MONGO_OPERATIONS_QUEUED")).build());
        }
        return result.build();
    }
}
