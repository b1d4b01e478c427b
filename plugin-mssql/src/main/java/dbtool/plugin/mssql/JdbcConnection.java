package dbtool.plugin.mssql;

import java.util.Properties;

/**
 * What a driver's {@code connect} receives. Secrets go in the properties only, never in the URL,
 * which may appear in an error message.
 */
public record JdbcConnection(DriverKind driver, String url, Properties properties) {

    @Override
    public String toString() {
        return "JdbcConnection[" + driver.displayName() + ", " + url + "]";
    }
}
