package dbtool.plugin.postgres.checks;

import dbtool.plugin.postgres.PostgresSession;
import dbtool.spi.Check;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.EngineSession;

/**
 * What every PostgreSQL check shares: the session cast, and where playbooks live.
 * Subclasses keep their SQL beside them as text blocks.
 */
abstract class PostgresCheck implements Check {

    private final String id;
    private final String category;
    private final String description;

    PostgresCheck(String id, String category, String description) {
        this.id = id;
        this.category = category;
        this.description = description;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String category() {
        return category;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final CheckResult run(EngineSession session, CheckContext context) throws Exception {
        return run((PostgresSession) session, context);
    }

    protected abstract CheckResult run(PostgresSession session, CheckContext context) throws Exception;

    static String playbook(String name) {
        return "docs/playbooks/" + name + ".md";
    }

    /** Seconds as a human reads them: "42 s", "5 min 3 s", "2 h 10 min", "3 d 4 h". */
    static String human(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        if (seconds < 86400) {
            return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
        }
        return seconds / 86400 + " d" + (seconds % 86400 / 3600 == 0 ? "" : " " + seconds % 86400 / 3600 + " h");
    }

    /** Bytes as a human reads them. */
    static String bytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format("%.1f %s", value, units[unit]);
    }
}
