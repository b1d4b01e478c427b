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

    /** Rounded for metrics: three decimals. */
    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
