package dbtool.plugin.mssql;

import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Stands in for Microsoft's mssql-jdbc in tests that must not open a socket: it accepts
 * {@code jdbc:sqlserver:} URLs like the real driver; each test decides what {@code connect} does.
 */
abstract class StandInMicrosoftDriver implements Driver {

    @Override
    public boolean acceptsURL(String url) {
        return url.startsWith("jdbc:sqlserver:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 12;
    }

    @Override
    public int getMinorVersion() {
        return 8;
    }

    @Override
    public boolean jdbcCompliant() {
        return true;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }
}
