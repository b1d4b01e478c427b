package dbtool.testkit.mongo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.bson.Document;

/**
 * Replies of a real mongod, recorded from the shapes in the MongoDB documentation's examples, as
 * Extended JSON under {@code dbtool/testkit/mongo/}. The fake server answers with them, and unit
 * tests read the same documents, so both test the same interpretation.
 */
public final class MongoReplies {

    private MongoReplies() {
    }

    /** The reply {@code name} ({@code currentop-lock-wait}, {@code serverstatus-7.0-healthy}...). */
    public static Document load(String name) {
        String resource = "/dbtool/testkit/mongo/" + name + ".json";
        try (InputStream in = MongoReplies.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded reply " + resource);
            }
            return Document.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
