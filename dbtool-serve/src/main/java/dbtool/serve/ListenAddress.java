package dbtool.serve;

import dbtool.core.DbtoolException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * {@code --listen HOST:PORT}. The default is loopback on {@link #DEFAULT_PORT}, a port of its own:
 * 9187 is postgres_exporter's, and both may run on one host while a team compares them.
 */
record ListenAddress(InetSocketAddress socket) {

    static final int DEFAULT_PORT = 9330;
    static final String DEFAULT = "127.0.0.1:" + DEFAULT_PORT;

    static ListenAddress parse(String value) {
        String text = value.strip();
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw usage(value, "expected HOST:PORT, e.g. " + DEFAULT + " or 0.0.0.0:" + DEFAULT_PORT);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // [::1]:9330
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw usage(value, "the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw usage(value, "the port must be from 0 to 65535");
        }
        try {
            InetAddress address = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new ListenAddress(new InetSocketAddress(address, port));
        } catch (UnknownHostException e) {
            throw usage(value, "unknown host '" + host + "'");
        }
    }

    /** Only this host can connect: credentials are optional there. */
    boolean loopback() {
        return socket.getAddress().isLoopbackAddress();
    }

    private static DbtoolException usage(String value, String why) {
        return DbtoolException.usage("--listen " + value + ": " + why);
    }
}
