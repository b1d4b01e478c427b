package dbtool.distribution;

import dbtool.plugin.postgres.demo.LocalCluster;
import dbtool.testkit.vault.VaultTestServer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What Vault's database secrets engine does to PostgreSQL, on a throwaway cluster: each read of
 * database/creds/ROLE creates a real login role with a password and VALID UNTIL, and revoking the
 * lease drops it. Remembers every role and password it made, so tests can look for leaks.
 */
final class PostgresRoles implements VaultTestServer.DatabaseBackend {

    final List<String> created = new CopyOnWriteArrayList<>();
    final List<String> passwords = new CopyOnWriteArrayList<>();
    private final LocalCluster cluster;
    private final String memberOf;

    /** @param memberOf the roles each dynamic role is granted, e.g. {@code pg_monitor} */
    PostgresRoles(LocalCluster cluster, String memberOf) {
        this.cluster = cluster;
        this.memberOf = memberOf;
    }

    @Override
    public String[] create(String vaultRole) throws Exception {
        String user = "v-" + vaultRole + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Dyn-" + UUID.randomUUID();
        cluster.execute("postgres", "CREATE ROLE \"" + user + "\" LOGIN PASSWORD '" + password
                + "' VALID UNTIL '" + Instant.now().plusSeconds(3600) + "' IN ROLE " + memberOf);
        created.add(user);
        passwords.add(password);
        return new String[] {user, password};
    }

    @Override
    public void drop(String user) throws Exception {
        cluster.execute("postgres", "DROP ROLE \"" + user + "\"");
    }
}
