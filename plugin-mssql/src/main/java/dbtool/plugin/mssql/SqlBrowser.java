package dbtool.plugin.mssql;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Asks the SQL Server Browser service ([MC-SQLR], UDP 1434) which TCP port a named instance
 * listens on. dbtool does this itself rather than leaving it to jTDS, so that the connection
 * check can time it as its own stage, probe the right TCP port, and say plainly when the Browser
 * does not answer (jTDS would silently fall back to port 1433).
 */
final class SqlBrowser {

    static final int PORT = 1434;
    private static final byte CLNT_UCAST_INST = 0x04;
    private static final byte SVR_RESP = 0x05;

    private SqlBrowser() {
    }

    /** The instance's TCP port; an IOException whose message says what to check when there is none. */
    static int tcpPort(String host, int browserPort, String instance, Duration timeout) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        byte[] name = instance.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[name.length + 2];
        request[0] = CLNT_UCAST_INST;
        System.arraycopy(name, 0, request, 1, name.length);
        String where = "SQL Browser on " + host + " (UDP " + browserPort + ")";
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.max(100, timeout.toMillis()));
            socket.send(new DatagramPacket(request, request.length, address, browserPort));
            byte[] buffer = new byte[4096];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            if (reply.getLength() < 3 || buffer[0] != SVR_RESP) {
                throw new IOException(where + " sent something that is not a Browser answer");
            }
            return portIn(new String(buffer, 3, reply.getLength() - 3, StandardCharsets.US_ASCII), instance, where);
        } catch (SocketTimeoutException e) {
            throw new IOException(where + " did not answer for instance " + instance + " within " + timeout.toMillis()
                    + " ms: the Browser service is stopped, UDP " + browserPort + " is blocked, or there is no such instance");
        }
    }

    /** The tcp port in {@code ServerName;H;InstanceName;NAME;IsClustered;No;Version;V;tcp;PORT;;}. */
    static int portIn(String answer, String instance, String where) throws IOException {
        String[] fields = answer.split(";", -1);
        String current = null;
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i].isEmpty()) {
                current = null; // ";;" ends one instance's fields
                i--;
                continue;
            }
            if (fields[i].equalsIgnoreCase("InstanceName")) {
                current = fields[i + 1];
            } else if (fields[i].equalsIgnoreCase("tcp") && current != null
                    && current.toUpperCase(Locale.ROOT).equals(instance.toUpperCase(Locale.ROOT))) {
                try {
                    return Integer.parseInt(fields[i + 1].trim());
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IOException(where + " knows instance " + instance + " but not a TCP port for it (TCP/IP is disabled for the instance)");
    }
}
