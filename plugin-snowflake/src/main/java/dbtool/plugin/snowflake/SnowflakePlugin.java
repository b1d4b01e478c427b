package dbtool.plugin.snowflake;

import dbtool.plugin.snowflake.checks.SnowflakeChecks;
import dbtool.spi.Check;
import dbtool.spi.Credentials;
import dbtool.spi.EnginePlugin;
import dbtool.spi.EngineSession;
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

    @Override
    public EngineSession open(Target target, Credentials credentials, SessionSettings settings) {
        SnowflakeAddress address = SnowflakeAddress.of(target);
        Login login = Login.choose(address, credentials, host);
        return new SnowflakeSession(driverFactory, address, login, ConnectionProperties.build(address, login, settings), settings);
    }
}
