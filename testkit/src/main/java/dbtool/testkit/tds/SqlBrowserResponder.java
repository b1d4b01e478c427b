package dbtool.testkit.tds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SQL Server Browser service ([MC-SQLR]) on a loopback UDP port: it tells clients which TCP
 * port a named instance listens on. CLNT_UCAST_INST (0x04, an instance name) is answered with
 * that instance only, or not at all when there is no such instance, as the real service does;
 * CLNT_BCAST_EX and CLNT_UCAST_EX (0x02, 0x03) with every instance. An answer is SVR_RESP (0x05, a
 * two-byte length, then {@code ServerName;HOST;InstanceName;NAME;IsClustered;No;Version;...;tcp;PORT;;}).
 */
public final class SqlBrowserResponder implements AutoCloseable {

    private final DatagramSocket socket;
    private final String serverName;
    private final Map<String, Integer> instances = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private SqlBrowserResponder(DatagramSocket socket, String serverName) {
        this.socket = socket;
        this.serverName = serverName;
        this.thread = Thread.ofPlatform().daemon().name("sql-browser-" + socket.getLocalPort()).start(this::serve);
    }

    /** Listens on 127.0.0.1 on this UDP port (0 for a free one). */
    public static SqlBrowserResponder start(int port, String serverName) {
        try {
            return new SqlBrowserResponder(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), serverName);
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot listen on UDP " + port + " on loopback", e);
        }
    }

    /** Announces a named instance listening on this TCP port. */
    public synchronized SqlBrowserResponder instance(String name, int tcpPort) {
        instances.put(name.toUpperCase(Locale.ROOT), tcpPort);
        return this;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** What clients asked, in order: {@code instance NAME} or {@code all instances}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void serve() {
        byte[] buffer = new byte[1024];
        while (!socket.isClosed()) {
            try {
                DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                socket.receive(request);
                String answer = answer(request.getData(), request.getLength());
                if (answer != null) {
                    byte[] data = answer.getBytes(StandardCharsets.US_ASCII);
                    byte[] reply = new byte[data.length + 3];
                    reply[0] = 0x05;
                    reply[1] = (byte) data.length;
                    reply[2] = (byte) (data.length >> 8);
                    System.arraycopy(data, 0, reply, 3, data.length);
                    socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private synchronized String answer(byte[] request, int length) {
        if (length >= 1 && (request[0] == 0x02 || request[0] == 0x03)) {
            requests.add("all instances");
            StringBuilder all = new StringBuilder();
            instances.forEach((name, port) -> all.append(describe(name, port)));
            return all.isEmpty() ? null : all.toString();
        }
        if (length >= 2 && request[0] == 0x04) {
            int end = 1;
            while (end < length && request[end] != 0) {
                end++;
            }
            String name = new String(request, 1, end - 1, StandardCharsets.US_ASCII);
            requests.add("instance " + name);
            Integer port = instances.get(name.toUpperCase(Locale.ROOT));
            return port == null ? null : describe(name.toUpperCase(Locale.ROOT), port);
        }
        requests.add("unknown request 0x" + Integer.toHexString(length == 0 ? 0 : request[0] & 0xFF));
        return null;
    }

    private String describe(String name, int port) {
        return "ServerName;" + serverName + ";InstanceName;" + name + ";IsClustered;No;Version;15.0.2000.5;tcp;" + port + ";;";
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
