package dbtool.plugin.mariadb;

import dbtool.toolkit.Format;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a MariaDB or MySQL server says before anyone logs in: its first packet is either a
 * handshake (protocol 10: server version, whether it offers TLS) or an error, such as "Too many
 * connections" (1040) or "Host is blocked because of many connection errors" (1129), which a
 * driver would report as a failed login. Reading it separately times TCP, the greeting and TLS
 * as stages of their own. Nothing is sent but, when asked, the protocol's SSL request and a TLS
 * handshake; no credential ever crosses this connection.
 */
public final class Handshake {

    /** CLIENT_SSL in the server's capability flags. */
    static final int CLIENT_SSL = 0x0800;
    /** CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION: the flags of an SSL request. */
    private static final int SSL_REQUEST_FLAGS = 0x0200 | CLIENT_SSL | 0x8000;

    /** The server's first packet: a greeting or an error. */
    public record Greeting(String serverVersion, long connectionId, boolean offersTls, int errorCode, String errorMessage) {

        public boolean refused() {
            return errorCode != 0;
        }
    }

    /** The result of a TLS handshake made to time it and see what the server negotiates. */
    public record Tls(String protocol, String cipher) {
    }

    private final Socket socket;
    private final Greeting greeting;

    private Handshake(Socket socket, Greeting greeting) {
        this.socket = socket;
        this.greeting = greeting;
    }

    /** Reads the server's first packet from a connected socket. */
    public static Handshake readGreeting(Socket socket) throws IOException {
        return new Handshake(socket, parse(readPacket(socket.getInputStream())));
    }

    public Greeting greeting() {
        return greeting;
    }

    /**
     * Sends the SSL request and completes a TLS handshake, without verifying the certificate:
     * this times the handshake and shows the negotiated protocol; verifying is the driver's job
     * in the login stage, with the target's sslMode.
     */
    public Tls startTls(String host, int port) throws IOException {
        OutputStream out = socket.getOutputStream();
        byte[] packet = new byte[4 + 32];
        packet[0] = 32;
        packet[3] = 1;
        int flags = SSL_REQUEST_FLAGS;
        packet[4] = (byte) flags;
        packet[5] = (byte) (flags >> 8);
        packet[6] = (byte) (flags >> 16);
        packet[7] = (byte) (flags >> 24);
        packet[8] = 0;
        packet[9] = 0;
        packet[10] = 0;
        packet[11] = 1; // max packet size 16 MB
        packet[12] = 45; // utf8mb4_general_ci
        out.write(packet);
        out.flush();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ProbeTrust()}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            Tls result = new Tls(tls.getSession().getProtocol(), tls.getSession().getCipherSuite());
            tls.close();
            return result;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available in this runtime: " + e.getMessage(), e);
        }
    }

    static Greeting parse(byte[] payload) throws IOException {
        if (payload.length == 0) {
            throw new IOException("the server sent an empty first packet");
        }
        int first = payload[0] & 0xff;
        if (first == 0xff) {
            int code = payload.length >= 3 ? (payload[1] & 0xff) | (payload[2] & 0xff) << 8 : 0;
            int start = 3;
            if (payload.length > 3 && payload[3] == '#') {
                start = 9; // "#" and a five-character SQLSTATE
            }
            String message = start < payload.length
                    ? new String(payload, start, payload.length - start, StandardCharsets.UTF_8) : "";
            return new Greeting("", 0, false, code, Format.printable(message, 300));
        }
        if (first != 10) {
            throw new IOException("the server does not speak the MySQL protocol (first packet starts with " + first + ")");
        }
        int end = 1;
        while (end < payload.length && payload[end] != 0) {
            end++;
        }
        String version = new String(payload, 1, end - 1, StandardCharsets.UTF_8);
        if (version.startsWith("5.5.5-")) {
            // MariaDB 10+ prefixes its version for old replication clients that expect a 5.x server.
            version = version.substring("5.5.5-".length());
        }
        int at = end + 1;
        if (at + 4 + 8 + 1 + 2 > payload.length) {
            throw new IOException("the server's greeting is cut short");
        }
        long connectionId = (payload[at] & 0xffL) | (payload[at + 1] & 0xffL) << 8 | (payload[at + 2] & 0xffL) << 16
                | (payload[at + 3] & 0xffL) << 24;
        at += 4 + 8 + 1;
        int capabilities = (payload[at] & 0xff) | (payload[at + 1] & 0xff) << 8;
        return new Greeting(Format.printable(version, 100), connectionId, (capabilities & CLIENT_SSL) != 0, 0, "");
    }

    private static byte[] readPacket(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[4];
        try {
            data.readFully(header);
        } catch (EOFException e) {
            throw new IOException("the server closed the connection without a greeting");
        }
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        if (length > 64 * 1024) {
            throw new IOException("the server's first packet is " + length + " bytes long: not a MySQL-protocol greeting");
        }
        byte[] payload = new byte[length];
        data.readFully(payload);
        return payload;
    }

    /** Accepts any certificate: the probe only times the handshake; the driver verifies. */
    private static final class ProbeTrust implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
