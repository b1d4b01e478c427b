package dbtool.plugin.snowflake;

import java.sql.Driver;
import java.util.Map;

/** Snowflake plugins with a chosen driver and environment, for tests in other packages. */
public final class Plugins {

    private Plugins() {
    }

    /** The real driver, and a headless Linux host whose environment is exactly {@code env}. */
    public static SnowflakePlugin withEnvironment(Map<String, String> env) {
        return new SnowflakePlugin(net.snowflake.client.api.driver.SnowflakeDriver::new, new LocalHost(env::get, "Linux", false));
    }

    public static SnowflakePlugin withDriver(Driver driver) {
        return new SnowflakePlugin(() -> driver, new LocalHost(Map.<String, String>of()::get, "Linux", false));
    }
}
