package dbtool.plugin.mongo;

import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.util.List;
import java.util.Set;

/**
 * The MongoDB engine. Its checks (connectivity, locks, resources, queries on the MongoDB Java driver) are not
 * written yet: a troubleshoot reports that no check ran, with status UNKNOWN.
 */
public final class MongoPlugin implements EnginePlugin {

    @Override
    public String id() {
        return "mongodb";
    }

    @Override
    public String displayName() {
        return "MongoDB";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("mongodb", "mongodb+srv");
    }

    @Override
    public int defaultPort() {
        return 27017;
    }

    @Override
    public List<Check> checks() {
        return List.of();
    }

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        // No check needs a connection yet, so none is made.
        return () -> { };
    }
}
