package dbtool.plugin.snowflake;

import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.util.List;
import java.util.Set;

/**
 * The Snowflake engine. Its checks (connectivity, locks, resources, queries on Snowflake JDBC) are not
 * written yet: a troubleshoot reports that no check ran, with status UNKNOWN.
 */
public final class SnowflakePlugin implements EnginePlugin {

    @Override
    public String id() {
        return "snowflake";
    }

    @Override
    public String displayName() {
        return "Snowflake";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("snowflake");
    }

    @Override
    public int defaultPort() {
        return 443;
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
