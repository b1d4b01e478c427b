package dbtool.plugin.snowflake;

import dbtool.plugin.snowflake.checks.SnowflakeChecks;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
import dbtool.spi.Grant;
import dbtool.spi.SessionSettings;
import dbtool.spi.Target;
import java.sql.Driver;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.snowflake.client.api.driver.SnowflakeDriver;

/** Snowflake, on Snowflake JDBC 4.4 (JSON result format, no platform detection, no telemetry). */
public final class SnowflakePlugin implements EnginePlugin {

    private final Supplier<Driver> driverFactory;
    private final LocalHost host;

    public SnowflakePlugin() {
        // Instantiated directly: DriverManager does not see drivers in plugin layers. Created on
        // first login only, because loading the driver costs about 150 ms.
        this(SnowflakeDriver::new, LocalHost.current());
    }

    SnowflakePlugin(Supplier<Driver> driverFactory, LocalHost host) {
        this.driverFactory = driverFactory;
        this.host = host;
    }

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
        return SnowflakeChecks.all();
    }

    /**
     * A Snowflake role (grant it to the service user with GRANT ROLE ... TO USER): monitoring of the
     * account and one warehouse, and ACCOUNT_USAGE for login history. SHOW LOCKS IN ACCOUNT needs
     * ACCOUNTADMIN, which is not asked for: the locks check falls back to the role's own and says so.
     */
    @Override
    public List<Grant> grants() {
        return List.of(
                new Grant("GRANT MONITOR USAGE ON ACCOUNT TO ROLE {{role}}", "WAREHOUSE_LOAD_HISTORY and "
                        + "WAREHOUSE_METERING_HISTORY of every warehouse (the warehouses and credits checks)"),
                new Grant("GRANT MONITOR ON WAREHOUSE {{warehouse}} TO ROLE {{role}}", "the warehouse's queries in "
                        + "QUERY_HISTORY and SHOW WAREHOUSES (repeat for each warehouse to watch)"),
                new Grant("GRANT USAGE ON WAREHOUSE {{warehouse}} TO ROLE {{role}}", "a warehouse to run the diagnosis's "
                        + "own queries (a small one does)"),
                new Grant("GRANT USAGE ON DATABASE {{database}} TO ROLE {{role}}", "a database whose INFORMATION_SCHEMA "
                        + "table functions the checks call (no schema or table in it is granted)"),
                new Grant("GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE {{role}}", "SNOWFLAKE.ACCOUNT_USAGE: "
                        + "LOGIN_HISTORY for failed logins (read-only views of the account's metadata)"));
    }

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        SnowflakeAddress address = SnowflakeAddress.of(target);
        Login login = Login.choose(address, credentials, host);
        return new SnowflakeSession(driverFactory, address, login, ConnectionProperties.build(address, login, settings), settings);
    }
}
