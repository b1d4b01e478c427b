package dbtool.change;

import dbtool.change.migrate.Flyway;
import dbtool.change.migrate.FlywayLoader;
import dbtool.change.migrate.MigrationFolder;
import dbtool.change.postgres.Connections;
import dbtool.core.DbtoolException;
import dbtool.core.cli.CommandContext;
import dbtool.core.run.CredentialResolver;
import dbtool.core.run.ResolvedTarget;
import dbtool.serve.store.StoreDrivers;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Target;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * One target of {@code dbtool change}: resolved like any other (configured name or URL, the
 * credential chain), with pgjdbc from the PostgreSQL plugin's layer and Flyway on a folder.
 */
final class ChangeTarget implements AutoCloseable {

    final ResolvedTarget resolved;
    final EnginePlugin plugin;
    final Connections connections;
    private final Credentials credentials;

    private ChangeTarget(ResolvedTarget resolved, Connections connections, Credentials credentials) {
        this.resolved = resolved;
        this.plugin = resolved.plugin();
        this.connections = connections;
        this.credentials = credentials;
    }

    static ChangeTarget open(ResolvedTarget resolved, CommandContext context) {
        if (!resolved.target().engine().equals("postgresql")) {
            throw DbtoolException.usage("change: " + resolved.target().name() + " is " + resolved.plugin().displayName()
                    + "; dbtool change supports PostgreSQL and SQL Server so far");
        }
        Credentials credentials = credentials(resolved, context);
        Connections connections = Connections.of(StoreDrivers.postgres(context.plugins()), resolved.target(), credentials, "dbtool-change");
        return new ChangeTarget(resolved, connections, credentials);
    }

    String name() {
        return resolved.target().name();
    }

    /** The credential chain for a resolved target, of any engine; the caller releases them. */
    static Credentials credentials(ResolvedTarget resolved, CommandContext context) {
        return new CredentialResolver(context.plugins().credentialProviders()).resolve(resolved, context.terminal());
    }

    /** Where a write connects, for the audit's actor: user, host, port and database, no password. */
    static String connectedAs(ResolvedTarget resolved, Credentials credentials) {
        Target target = resolved.target();
        String user = credentials.user().orElse(target.urlUser().orElse(null));
        return (user == null ? "" : user + "@") + target.host() + ":" + target.portOr(resolved.plugin().defaultPort())
                + (target.database().isEmpty() ? "" : "/" + target.database());
    }

    /** Flyway on the target; read-only for plan, dry run and history. */
    Flyway flyway(CommandContext context, MigrationFolder folder, boolean readOnly, Duration lockTimeout, String actor) {
        return Flyway.configure(FlywayLoader.loader(context.environment()), connections.dataSource(readOnly, lockTimeout), folder.folder(),
                actor, null);
    }

    /** Flyway's view of the folder against the target, checked: a changed applied script is refused. */
    static List<Flyway.Info> checkedInfo(Flyway flyway, MigrationFolder folder) {
        List<Flyway.Info> infos = flyway.info();
        for (Flyway.Info info : infos) {
            if (info.checksumMismatch()) {
                throw DbtoolException.usage(folder.folder().resolve(info.script()) + ": checksum mismatch: version " + info.version()
                        + " was applied with checksum " + info.appliedChecksum() + ", the file now has " + info.resolvedChecksum()
                        + "; an applied migration must not change: put the change into a new version");
            }
            if (info.state().startsWith("FAILED")) {
                throw DbtoolException.config(name(info) + " failed earlier and is recorded as FAILED in " + Flyway.HISTORY_TABLE
                        + "; repair it by hand before applying more");
            }
        }
        return infos;
    }

    static List<Flyway.Info> pending(List<Flyway.Info> infos) {
        return infos.stream().filter(i -> i.state().equals("PENDING") && i.version() != null).toList();
    }

    static String name(Flyway.Info info) {
        return "V" + info.version() + " (" + info.script() + ")";
    }

    /** PostgreSQL's major version and its text, read-only. */
    int[] serverVersion() throws SQLException {
        try (Connection c = connections.readOnly(Duration.ofSeconds(5), Duration.ofSeconds(1)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            int num = rs.getInt(1);
            return new int[] {num / 10000, num};
        }
    }

    @Override
    public void close() {
        credentials.release();
    }
}
