package dbtool.plugin.mssql;

import java.util.Properties;
import java.util.function.IntFunction;

/**
 * What a driver's {@code connect} receives. Secrets go in the properties only, never in the URL,
 * which may appear in an error message. The URL is built for a port: the target's, or a named
 * instance's once SQL Browser has told it.
 */
public final class JdbcConnection {

    private final DriverKind driver;
    private final int port;
    private final IntFunction<String> urlAtPort;
    private final Properties properties;

    /** @param urlAtPort the driver's URL for a TCP port; it sees no secret */
    JdbcConnection(DriverKind driver, int port, IntFunction<String> urlAtPort, Properties properties) {
        this.driver = driver;
        this.port = port;
        this.urlAtPort = urlAtPort;
        this.properties = properties;
    }

    public DriverKind driver() {
        return driver;
    }

    /** The target's port: from its URL, else 1433. */
    public int port() {
        return port;
    }

    /** The URL for the target's port. */
    public String url() {
        return url(port);
    }

    /** The URL for another port (a named instance's). */
    public String url(int port) {
        return urlAtPort.apply(port);
    }

    public Properties properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "JdbcConnection[" + driver.displayName() + ", " + url() + "]";
    }
}
