package dbtool.plugin.mongo.checks;

import dbtool.testkit.mongo.MongoReplies;
import org.bson.Document;

/**
 * Recorded server replies for interpretation tests (rows, contexts and finding readers come from
 * testkit's {@code CheckFixtures}, shared with the other engines).
 */
final class Fixtures {

    private Fixtures() {
    }

    static Document reply(String name) {
        return MongoReplies.load(name);
    }
}
