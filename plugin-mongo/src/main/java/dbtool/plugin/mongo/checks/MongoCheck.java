package dbtool.plugin.mongo.checks;

import dbtool.plugin.mongo.MongoSession;
import dbtool.spi.AbstractCheck;
import java.util.Locale;

/**
 * What every MongoDB check shares: the session cast, and where playbooks live. Each check keeps
 * the command it sends apart from its reading of the reply ({@code interpret}), which is tested
 * on reply documents shaped like the MongoDB documentation's examples.
 */
abstract class MongoCheck extends AbstractCheck<MongoSession> {

    MongoCheck(String id, String category, String description) {
        super(MongoSession.class, id, category, description);
    }

    /** The playbook of a finding code: its section of docs/mongodb.md (the anchor MkDocs makes of the heading). */
    static String playbook(String code) {
        return "docs/mongodb.md#" + code.toLowerCase(Locale.ROOT);
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
    static String bytes(double bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? (long) bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A ratio as a percentage, e.g. "96%". */
    static String percent(double ratio) {
        return Math.round(ratio * 100) + "%";
    }

    /** Rounded for metrics: three decimals. */
    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
