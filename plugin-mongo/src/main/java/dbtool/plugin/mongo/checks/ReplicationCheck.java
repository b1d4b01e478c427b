package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.Docs;
import dbtool.plugin.mongo.MongoCommandFailure;
import dbtool.plugin.mongo.MongoErrors;
import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * The replica set as this member sees it ({@code replSetGetStatus}): member states and health, how
 * far each secondary's last applied operation trails the primary's, and elections in the last
 * hour. Times are taken from the reply ({@code date}, {@code optimeDate}), never from dbtool's
 * clock. Field names are the same from 4.4 to 8.0; {@code electionCandidateMetrics} is only on a
 * primary.
 */
final class ReplicationCheck extends MongoCheck {

    static final Threshold LAG_WARNING = Threshold.number("replication_lag_warning_seconds", 60, "s",
            "WARNING when a secondary is this far behind the primary");

    static final Threshold LAG_CRITICAL = Threshold.number("replication_lag_critical_seconds", 600, "s",
            "CRITICAL when a secondary is this far behind");

    static final Threshold ELECTION_WINDOW = Threshold.number("election_window_minutes", 60, "min",
            "an election within this many minutes is reported");

    @Override
    public List<Threshold> thresholds() {
        return List.of(LAG_WARNING, LAG_CRITICAL, ELECTION_WINDOW);
    }

    static final String CATEGORY = "replication";

    /** States of a member that cannot serve: STARTUP, RECOVERING, STARTUP2, UNKNOWN, DOWN, ROLLBACK, REMOVED. */
    private static final Set<Integer> UNHEALTHY_STATES = Set.of(0, 3, 5, 6, 8, 9, 10);
    private static final int PRIMARY = 1;
    private static final int SECONDARY = 2;
    private static final int ARBITER = 7;

    ReplicationCheck() {
        super("replication", CATEGORY, "replica set member states and health, lag of each secondary, elections in the last hour");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MONGO_MEMBER_UNHEALTHY", "MONGO_NO_PRIMARY", "MONGO_RECENT_ELECTION", "MONGO_REPLICATION_LAG",
                "MONGO_REPLICA_SET", "MONGO_REPLSET_NOT_INITIATED", "MONGO_STANDALONE");
    }

    @Override
    protected CheckResult check(MongoSession session, CheckContext context) throws Exception {
        try {
            return interpret(session.replSetGetStatus(context), context);
        } catch (MongoCommandFailure e) {
            return notReplicated(e);
        }
    }

    /** What a refusal means: a standalone, a mongos or an uninitiated set are answers, not failures. */
    static CheckResult notReplicated(MongoCommandFailure failure) throws MongoCommandFailure {
        return switch (failure.code()) {
            case MongoErrors.NO_REPLICATION_ENABLED -> CheckResult.builder().metric("replica_set", false)
                    .add(Finding.of("MONGO_STANDALONE", Severity.INFO, "Standalone server: not running with --replSet")
                            .detail("A standalone has no copy of its data and no failover; production deployments run a replica set.")
                            .playbook(playbook("MONGO_STANDALONE")).build()).build();
            case MongoErrors.COMMAND_NOT_FOUND -> CheckResult.builder().metric("replica_set", false)
                    .add(Finding.of("MONGO_STANDALONE", Severity.INFO, "mongos: replication is diagnosed on each shard's replica set")
                            .recommendation("Run dbtool against each shard: sh.status() lists their replica set URLs.")
                            .playbook(playbook("MONGO_STANDALONE")).build()).build();
            case MongoErrors.NOT_YET_INITIALIZED -> CheckResult.builder().metric("replica_set", false)
                    .add(Finding.of("MONGO_REPLSET_NOT_INITIATED", Severity.WARNING, "Started with --replSet, but the replica set was never initiated")
                            .detail("The server accepts no writes until the set is initiated.")
                            .recommendation("Initiate it once, from one member: rs.initiate({_id: 'SETNAME', members: [...]})")
                            .playbook(playbook("MONGO_REPLSET_NOT_INITIATED")).build()).build();
            default -> throw failure;
        };
    }

    static CheckResult interpret(Document status, CheckContext context) {
        List<Document> members = Docs.docs(status, "members");
        Instant now = Docs.instant(status, "date").orElse(Instant.now());
        Optional<Document> primary = members.stream().filter(m -> state(m) == PRIMARY).findFirst();
        // Without a primary, lag is measured against the most advanced member.
        Instant reference = primary.flatMap(p -> Docs.instant(p, "optimeDate"))
                .orElse(members.stream().map(m -> Docs.instant(m, "optimeDate")).flatMap(Optional::stream).max(Instant::compareTo).orElse(now));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> lagging = new ArrayList<>();
        List<Map<String, Object>> unhealthy = new ArrayList<>();
        long maxLag = 0;
        double warning = LAG_WARNING.value(context);
        for (Document member : members) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", Docs.text(member, "name"));
            row.put("state", Docs.text(member, "stateStr"));
            row.put("health", Docs.longValue(member, "health"));
            Long lag = null;
            if (state(member) == SECONDARY || state(member) == 3) {
                Optional<Instant> optime = Docs.instant(member, "optimeDate");
                if (optime.isPresent()) {
                    lag = Math.max(0, Duration.between(optime.get(), reference).toSeconds());
                    maxLag = Math.max(maxLag, lag);
                }
            }
            row.put("lagSeconds", lag);
            row.put("syncSource", Docs.text(member, "syncSourceHost"));
            row.put("pingMs", Docs.number(member, "pingMs").map(Double::longValue).orElse(null));
            row.put("message", Docs.has(member, "lastHeartbeatMessage") ? Docs.text(member, "lastHeartbeatMessage") : Docs.text(member, "infoMessage"));
            rows.add(row);
            if (lag != null && lag >= warning) {
                lagging.add(row);
            }
            if (Docs.longValue(member, "health") == 0 || UNHEALTHY_STATES.contains(state(member))) {
                unhealthy.add(row);
            }
        }
        String set = Docs.text(status, "set");
        CheckResult.Builder result = CheckResult.builder()
                .metric("replica_set", true).metric("members", members.size())
                .metric("healthy_members", members.size() - unhealthy.size())
                .metric("has_primary", primary.isPresent()).metric("max_lag_seconds", maxLag);

        if (primary.isEmpty()) {
            result.add(Finding.of("MONGO_NO_PRIMARY", Severity.CRITICAL, "Replica set " + set + " has no primary: writes fail")
                    .detail("An election needs a majority of voting members able to see each other. This member is "
                            + Docs.text(status, "members.0.stateStr").toLowerCase() + "; the members below show which are down.")
                    .evidence("members", rows)
                    .recommendation("Bring back the members that are DOWN or unreachable (network, disk, process). "
                            + "Do not force a reconfiguration (rs.reconfig({force: true})) unless a majority is lost for good.")
                    .playbook(playbook("MONGO_NO_PRIMARY")).build());
        }
        if (!unhealthy.isEmpty()) {
            long healthy = members.size() - unhealthy.size();
            boolean majorityLost = healthy <= members.size() / 2;
            result.add(Finding.of("MONGO_MEMBER_UNHEALTHY", majorityLost ? Severity.CRITICAL : Severity.WARNING,
                            unhealthy.size() + " of " + members.size() + " members of " + set + " are not healthy ("
                                    + String.join(", ", unhealthy.stream().map(r -> r.get("name") + " " + r.get("state")).toList()) + ")")
                    .detail(majorityLost ? "A majority is not healthy: the set cannot elect a primary or acknowledge majority writes."
                            : "The set still has a majority, but one more failure may cost it; majority writes and reads may be slower.")
                    .evidence("members", unhealthy)
                    .recommendation("On each unhealthy member, read the log and check the process, disk and network; "
                            + "rs.status().members[i].lastHeartbeatMessage says what this member sees.")
                    .playbook(playbook("MONGO_MEMBER_UNHEALTHY")).build());
        }
        if (!lagging.isEmpty()) {
            Map<String, Object> worst = lagging.stream().max(Comparator.comparingLong(r -> (Long) r.get("lagSeconds"))).orElseThrow();
            result.add(Finding.of("MONGO_REPLICATION_LAG", maxLag >= LAG_CRITICAL.value(context)
                                    ? Severity.CRITICAL : Severity.WARNING,
                            lagging.size() + (lagging.size() == 1 ? " secondary trails" : " secondaries trail") + " the primary; "
                                    + worst.get("name") + " by " + Format.duration(maxLag))
                    .detail("A lagging secondary serves stale reads, delays majority writes (w: 'majority'), and after a failover "
                            + "the writes it had not applied are rolled back. If the lag outgrows the oplog window, it needs a full resync.")
                    .evidence("members", rows)
                    .recommendation("On the lagging member look at disk and CPU (mongostat, iostat), its sync source and network; "
                            + "compare with the oplog-window check. A delayed member (secondaryDelaySecs) lags by design.")
                    .playbook(playbook("MONGO_REPLICATION_LAG")).build());
        }
        Optional<Instant> election = Docs.instant(status, "electionCandidateMetrics.lastElectionDate")
                .or(() -> primary.flatMap(p -> Docs.instant(p, "electionDate")));
        long windowMinutes = (long) ELECTION_WINDOW.value(context);
        if (election.isPresent() && !election.get().isBefore(now.minus(Duration.ofMinutes(windowMinutes)))) {
            String reason = Docs.text(status, "electionCandidateMetrics.lastElectionReason");
            boolean unplanned = reason.equals("electionTimeout");
            long ago = Duration.between(election.get(), now).toSeconds();
            result.add(Finding.of("MONGO_RECENT_ELECTION", unplanned ? Severity.WARNING : Severity.INFO,
                            "A new primary was elected " + Format.duration(ago) + " ago" + (reason.isEmpty() ? "" : " (" + reason + ")")
                                    + primary.map(p -> ": " + Docs.text(p, "name")).orElse(""))
                    .detail(unplanned ? "electionTimeout: the members lost contact with the old primary (crash, network, or a stall "
                            + "longer than electionTimeoutMillis). Writes failed until the election finished."
                            : "An election moves the primary; clients retry and reconnect. Planned step-downs and priority takeovers are normal.")
                    .evidence("electionDate", election.get().toString())
                    .evidence("reason", reason)
                    .recommendation("Find why in the old primary's log around the election time; check the network between members.")
                    .playbook(playbook("MONGO_RECENT_ELECTION")).build());
        }
        if (result.build().findings().isEmpty()) {
            result.add(Finding.of("MONGO_REPLICA_SET", Severity.INFO, "Replica set " + set + ": " + members.size() + " members, primary "
                    + primary.map(p -> Docs.text(p, "name")).orElse("none") + ", lag at most " + Format.duration(maxLag)).evidence("members", rows).build());
        }
        return result.build();
    }

    private static int state(Document member) {
        return (int) Docs.longValue(member, "state");
    }
}
