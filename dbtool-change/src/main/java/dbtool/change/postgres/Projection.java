package dbtool.change.postgres;

import dbtool.change.migrate.SqlScript;
import dbtool.change.report.DryRunReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what a statement did on the (small) clone into what it would do on the target: the lock
 * it holds on the table, the rewrite or scan it does, the target's size of that table at the rate
 * the clone rewrote a calibration table, and the traffic the lock would hold up meanwhile.
 */
public final class Projection {

    private Projection() {
    }

    public static DryRunReport.StatementResult of(SqlScript.Statement statement, Probe.Measured measured, TargetProfile profile,
                                                 double bytesPerSecond) {
        StatementKind kind = StatementKind.of(statement);
        List<DryRunReport.LockResult> locks = measured.locks().stream().map(l -> new DryRunReport.LockResult(l.relation(), l.mode())).toList();
        String table = kind.table() != null ? display(kind.table()) : null;
        String mode = null;
        for (Probe.Lock lock : measured.locks()) {
            if (table == null || lock.relation().equals(table)) {
                if (table == null || mode == null || Probe.stronger(mode, lock.mode()).equals(lock.mode())) {
                    table = table == null ? lock.relation() : table;
                    mode = Probe.stronger(mode, lock.mode());
                }
            }
        }
        boolean observed = mode != null;
        if (mode == null) {
            mode = kind.lock();
        }
        if (measured.error() != null) {
            return new DryRunReport.StatementResult(statement.line(), statement.summary(400), locks, measured.rewritten(), measured.durationMs(),
                    measured.error(), table, 0, 0, 0, 0, "none", "failed on the clone: " + measured.error(), kind.saferForms());
        }
        TargetProfile.Table stats = table == null ? null : profile.table(table).orElse(null);
        long tableBytes = stats == null ? 0 : stats.tableBytes();
        long totalBytes = stats == null ? 0 : stats.totalBytes();
        boolean rewrites = table != null && measured.rewritten().contains(table);
        long estimateMs;
        String work;
        if (rewrites) {
            estimateMs = (long) (totalBytes / bytesPerSecond * 1000) + measured.durationMs();
            work = "rewrites " + bytes(totalBytes);
        } else if (kind.scans()) {
            estimateMs = (long) (tableBytes / bytesPerSecond * 1000) + measured.durationMs();
            work = "scans " + bytes(tableBytes);
        } else {
            estimateMs = measured.durationMs();
            work = "no rewrite";
        }
        double writes = stats == null ? 0 : stats.writesPerSecond();
        double reads = stats == null ? 0 : stats.readsPerSecond();
        List<String> safer = new ArrayList<>(kind.saferForms());
        String blocks;
        boolean blocksTraffic;
        if (mode == null) {
            blocks = "takes no table lock";
            blocksTraffic = false;
        } else if (mode.equals("AccessExclusiveLock")) {
            blocks = "blocks " + rate(writes) + " writes/s and " + rate(reads) + " reads/s";
            blocksTraffic = true;
        } else if (List.of("ExclusiveLock", "ShareRowExclusiveLock", "ShareLock").contains(mode)) {
            blocks = "blocks " + rate(writes) + " writes/s (reads go on)";
            blocksTraffic = true;
        } else {
            blocks = "blocks no reads or writes (only DDL, VACUUM and ANALYZE of the table wait)";
            blocksTraffic = false;
        }
        if (blocksTraffic) {
            safer.add("apply with a lock_timeout and retries (change apply does: --lock-timeout, --retries), so it never queues behind a "
                    + "long transaction with every later query of " + table + " queued behind it");
        }
        String risk = !blocksTraffic ? "none" : estimateMs >= 1000 ? "high" : "low";
        String sentence = (mode == null ? "" : lockName(mode) + (table == null ? "" : " on " + table) + (observed ? "" : " (documented)") + ", ")
                + work + ", " + blocks + " for ~" + duration(estimateMs)
                + (stats == null && table != null ? " (" + table + " is not on the target yet)" : "");
        return new DryRunReport.StatementResult(statement.line(), statement.summary(400), locks, measured.rewritten(), measured.durationMs(),
                null, table, rewrites ? totalBytes : tableBytes, round(writes), round(reads), estimateMs, risk, sentence,
                risk.equals("none") ? List.of() : List.copyOf(safer));
    }

    /** AccessExclusiveLock -> ACCESS EXCLUSIVE, as the documentation names the modes. */
    public static String lockName(String mode) {
        return mode.replace("Lock", "").replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    }

    static String display(String table) {
        return table.startsWith("public.") ? table.substring("public.".length()) : table;
    }

    static String rate(double perSecond) {
        return perSecond >= 10 ? "~" + Math.round(perSecond) : String.format(Locale.ROOT, "~%.1f", perSecond);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    public static String bytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, value >= 10 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }

    public static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = Math.round(ms / 1000.0);
        if (s < 120) {
            return s + " s";
        }
        long min = Math.round(s / 60.0);
        return min < 120 ? min + " min" : String.format(Locale.ROOT, "%.1f h", min / 60.0);
    }
}
