package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * The oplog window: the time between the oldest and the newest entry of local.oplog.rs, read as
 * rs.printReplicationInfo() does (first and last entry in natural order, and collStats for the
 * configured size). A secondary that falls further behind than the window can no longer catch up
 * and needs a full resync.
 */
final class OplogWindowCheck extends MongoCheck {

    static final Threshold WARNING_HOURS = Threshold.number("oplog_window_warning_hours", 24, "h",
            "WARNING when the oplog holds fewer hours of writes than this");

    static final Threshold CRITICAL_HOURS = Threshold.number("oplog_window_critical_hours", 2, "h",
            "CRITICAL when the oplog holds fewer hours of writes than this");

    @Override
    public List<Threshold> thresholds() {
        return List.of(WARNING_HOURS, CRITICAL_HOURS);
    }

    OplogWindowCheck() {
        super("oplog-window", ReplicationCheck.CATEGORY, "oplog window in hours (first and last oplog entry) against the lag of the secondaries");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_OPLOG_WINDOW_SHORT");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        Document status;
        try {
            status = session.replSetGetStatus(context);
        } catch (MongoCommandFailure e) {
            // Not a replica set member (the replication check says which): no oplog.
            return CheckResult.builder().metric("replica_set", false).build();
        }
        Document first = oplogEdge(session, context, 1);
        Document last = oplogEdge(session, context, -1);
        Document stats;
        try {
            // collStats is deprecated from 6.2 on but still answers in 8.0; the size is a nice-to-have.
            stats = session.run("local", new Document("collStats", "oplog.rs").append("scale", 1), context, true);
        } catch (MongoCommandFailure e) {
            if (e.connectCause() != null) {
                throw e;
            }
            stats = new Document();
        }
        return interpret(first, last, stats, status, context);
    }

    private static Document oplogEdge(MongoSession session, CheckContext context, int direction) throws MongoCommandFailure {
        Document reply = session.run("local", new Document("find", "oplog.rs")
                .append("sort", new Document("$natural", direction))
                .append("projection", new Document("ts", 1).append("wall", 1))
                .append("limit", 1).append("singleBatch", true), context, true);
        List<Document> batch = Docs.docs(reply, "cursor.firstBatch");
        return batch.isEmpty() ? new Document() : batch.getFirst();
    }

    static CheckResult interpret(Document first, Document last, Document stats, Document status, CheckContext context) {
        Optional<Instant> from = Docs.instant(first, "ts");
        Optional<Instant> to = Docs.instant(last, "ts");
        CheckResult.Builder result = CheckResult.builder().metric("replica_set", true);
        if (from.isEmpty() || to.isEmpty()) {
            return result.metric("oplog_entries", 0).build();
        }
        double hours = Duration.between(from.get(), to.get()).toSeconds() / 3600.0;
        long maxLag = maxLagSeconds(status);
        result.metric("oplog_window_hours", round(hours)).metric("max_lag_seconds", maxLag);
        Docs.number(stats, "maxSize").ifPresent(size -> result.metric("oplog_max_bytes", size.longValue()));
        Docs.number(stats, "size").ifPresent(size -> result.metric("oplog_bytes", size.longValue()));
        double warning = WARNING_HOURS.value(context);
        double critical = CRITICAL_HOURS.value(context);
        boolean lagNearWindow = maxLag > 0 && maxLag >= hours * 3600 * 0.5;
        if (hours < warning || lagNearWindow) {
            Severity severity = hours < critical || lagNearWindow ? Severity.CRITICAL : Severity.WARNING;
            result.add(Finding.of("MONGO_OPLOG_WINDOW_SHORT", severity, "The oplog holds " + String.format(Locale.ROOT, "%.1f", hours)
                            + " hours of writes" + (lagNearWindow ? ", and a secondary is " + Format.duration(maxLag) + " behind" : ""))
                    .detail("A secondary (or a backup resuming from the oplog) that falls further behind than the window cannot "
                            + "catch up and needs a full initial sync. Bulk writes shorten the window quickly.")
                    .evidence("firstEntry", from.get().toString())
                    .evidence("lastEntry", to.get().toString())
                    .evidence("windowHours", round(hours))
                    .evidence("maxLagSeconds", maxLag)
                    .evidence("oplogMaxBytes", Docs.longValue(stats, "maxSize"))
                    .recommendation("Grow the oplog online on each member (no restart): db.adminCommand({replSetResizeOplog: 1, size: MEGABYTES})"
                            + " -- or keep a minimum by time with minRetentionHours (4.4+).")
                    .playbook(playbook("MONGO_OPLOG_WINDOW_SHORT")).build());
        }
        return result.build();
    }

    private static long maxLagSeconds(Document status) {
        List<Document> members = Docs.docs(status, "members");
        Optional<Instant> primary = members.stream().filter(m -> Docs.longValue(m, "state") == 1).findFirst()
                .flatMap(m -> Docs.instant(m, "optimeDate"));
        if (primary.isEmpty()) {
            return 0;
        }
        return members.stream().filter(m -> Docs.longValue(m, "state") == 2)
                .map(m -> Docs.instant(m, "optimeDate")).flatMap(Optional::stream)
                .mapToLong(t -> Math.max(0, Duration.between(t, primary.get()).toSeconds())).max().orElse(0);
    }
}
