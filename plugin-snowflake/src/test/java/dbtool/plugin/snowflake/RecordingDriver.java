package dbtool.plugin.snowflake;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/** Wraps the real Snowflake driver and keeps a copy of the properties of every connection attempt. */
public final class RecordingDriver implements Driver {

    private final Driver real = new net.snowflake.client.api.driver.SnowflakeDriver();
    private final List<Properties> attempts = Collections.synchronizedList(new ArrayList<>());

    public List<Properties> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Properties copy = new Properties();
        copy.putAll(info);
        attempts.add(copy);
        return real.connect(url, info);
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return real.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return real.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return real.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return real.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return real.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }
}
