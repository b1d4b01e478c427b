package dbtool.plugin.mssql;

import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.util.List;
import java.util.Set;

/**
 * The SQL Server engine. Its checks (connectivity, locks, resources, queries on jTDS) are not
 * written yet: a troubleshoot reports that no check ran, with status UNKNOWN.
 */
public final class SqlServerPlugin implements EnginePlugin {

    @Override
    public String id() {
        return "sqlserver";
    }

    @Override
    public String displayName() {
        return "SQL Server";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("sqlserver", "mssql");
    }

    @Override
    public int defaultPort() {
        return 1433;
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
