package dbtool.change;

import dbtool.change.migrate.Flyway;
import dbtool.change.migrate.MigrationFolder;
import dbtool.change.migrate.SqlScript;
import dbtool.change.postgres.Clone;
import dbtool.change.postgres.Connections;
import dbtool.change.postgres.LocalClusters;
import dbtool.change.postgres.PgTools;
import dbtool.change.postgres.Probe;
import dbtool.change.postgres.Projection;
import dbtool.change.postgres.TargetProfile;
import dbtool.change.report.DryRunReport;
import dbtool.core.DbtoolException;
import dbtool.core.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code change dry-run}: the pending migrations applied to a clone and measured, then projected
 * onto the target. The target is only read: Flyway's info and the statistics through read-only
 * sessions, the schema through {@code pg_dump --schema-only} with a lock wait timeout.
 */
final class DryRun {

    record Settings(Duration sample, Connections scratch, Duration lockTimeout) {
    }

    private DryRun() {
    }

    static DryRunReport run(ChangeTarget target, MigrationFolder folder, Flyway flyway, Settings settings, Environment environment)
            throws Exception {
        List<Flyway.Info> pending = ChangeTarget.pending(ChangeTarget.checkedInfo(flyway, folder));
        int[] version = target.serverVersion();
        List<String> warnings = new ArrayList<>();
        try (Connection readOnly = target.connections.readOnly(Duration.ofSeconds(30), settings.lockTimeout())) {
            TargetProfile profile = TargetProfile.start(readOnly);
            long sampleEnds = System.nanoTime() + settings.sample().toNanos();
            if (pending.isEmpty()) {
                return new DryRunReport(1, target.name(), versionText(version[1]), "no clone needed", 0, 0, List.of(), warnings, "OK");
            }
            LocalClusters clusters = LocalClusters.of(target.plugin);
            Optional<Path> binaries = clusters.binaries(environment.variables(), version[0]);
            if (binaries.isEmpty() && settings.scratch() == null) {
                throw DbtoolException.config("change dry-run: no PostgreSQL " + version[0] + " server binaries on this machine for a clone of "
                        + target.name() + "; install postgresql-" + version[0] + " or name a scratch database with --clone-url");
            }
            PgTools tools = new PgTools(binaries.orElseGet(() -> Path.of("/usr/bin")));
            Path dump = Files.createTempFile("dbtool-schema-", ".sql");
            try (Clone clone = settings.scratch() != null ? Clone.scratch(settings.scratch(), tools)
                    : Clone.local(clusters, binaries.orElseThrow(), target.connections.driver())) {
                tools.run("pg_dump", List.of("--schema-only", "--no-owner", "--no-privileges", "--no-publications", "--no-subscriptions",
                        "--lock-wait-timeout=" + settings.lockTimeout().toMillis(), "--exclude-table=*." + Flyway.HISTORY_TABLE,
                        "-f", dump.toString()), target.connections.libpqEnvironment("-c default_transaction_read_only=on"), null,
                        Duration.ofMinutes(10));
                for (String error : clone.loadSchema(dump)) {
                    warnings.add("the clone did not take a statement of the schema: " + error);
                }
                List<DryRunReport.MigrationResult> results = new ArrayList<>();
                boolean failed = false;
                boolean risky = false;
                try (Probe probe = new Probe(clone.connections())) {
                    double rate = probe.rewriteRate();
                    long wait = sampleEnds - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    profile.finish(readOnly);
                    for (Flyway.Info info : pending) {
                        MigrationFolder.Migration migration = folder.version(info.version()).orElseThrow();
                        List<DryRunReport.StatementResult> statements = new ArrayList<>();
                        for (SqlScript.Statement statement : migration.statements()) {
                            if (failed) {
                                break;
                            }
                            DryRunReport.StatementResult result = Projection.of(statement, probe.run(statement), profile, rate);
                            failed = result.error() != null;
                            risky |= result.risk().equals("high");
                            statements.add(result);
                        }
                        results.add(new DryRunReport.MigrationResult(info.version(), migration.script(), statements));
                    }
                    return new DryRunReport(1, target.name(), versionText(version[1]), clone.description(), profile.sampledSeconds(), rate,
                            results, warnings, failed ? "FAILED" : risky ? "RISKY" : "OK");
                }
            } finally {
                Files.deleteIfExists(dump);
            }
        }
    }

    static String versionText(int num) {
        return num / 10000 + "." + num % 10000;
    }
}
