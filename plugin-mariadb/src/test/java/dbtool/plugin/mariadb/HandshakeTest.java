package dbtool.plugin.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The server's first packet, as MySQL 8 and MariaDB send it when they refuse a client before login. */
class HandshakeTest {

    @Test
    void tooManyConnectionsBeforeLogin() throws Exception {
        Handshake.Greeting greeting = Handshake.parse(errorPacket(1040, "Too many connections"));

        assertTrue(greeting.refused());
        assertEquals(1040, greeting.errorCode());
        assertEquals("Too many connections", greeting.errorMessage());
        assertEquals(LoginFailure.TOO_MANY_CONNECTIONS, LoginFailure.ofErrorCode(greeting.errorCode()));
    }

    @Test
    void hostBlockedMessageWithControlCharactersIsEscaped() throws Exception {
        Handshake.Greeting greeting = Handshake.parse(errorPacket(1129, "Host '10.0.0.9' is blocked\u001b[31m"));

        assertEquals(LoginFailure.HOST_BLOCKED, LoginFailure.ofErrorCode(greeting.errorCode()));
        assertFalse(greeting.errorMessage().contains("\u001b"), greeting.errorMessage());
        assertTrue(greeting.errorMessage().contains("\\u001b"), greeting.errorMessage());
    }

    @Test
    void mysqlGreetingWithTls() throws Exception {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(10);
        packet.writeBytes("8.0.40".getBytes(StandardCharsets.UTF_8));
        packet.write(0);
        packet.writeBytes(new byte[] {42, 0, 0, 0}); // connection id
        packet.writeBytes(new byte[8]); // auth data part 1
        packet.write(0); // filler
        int capabilities = 0xffff; // includes CLIENT_SSL
        packet.write(capabilities & 0xff);
        packet.write(capabilities >> 8);

        Handshake.Greeting greeting = Handshake.parse(packet.toByteArray());

        assertEquals("8.0.40", greeting.serverVersion());
        assertEquals(42, greeting.connectionId());
        assertTrue(greeting.offersTls());
        assertEquals(Flavour.MYSQL, Flavour.of(greeting.serverVersion()));
    }

    @Test
    void mariadbGreetingLosesItsReplicationPrefix() throws Exception {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(10);
        packet.writeBytes("5.5.5-10.11.19-MariaDB-0+deb12u1".getBytes(StandardCharsets.UTF_8));
        packet.write(0);
        packet.writeBytes(new byte[4 + 8 + 1 + 2]);

        Handshake.Greeting greeting = Handshake.parse(packet.toByteArray());

        assertEquals("10.11.19-MariaDB-0+deb12u1", greeting.serverVersion());
        assertFalse(greeting.offersTls());
        assertEquals(Flavour.MARIADB, Flavour.of(greeting.serverVersion()));
    }

    /** An ERR packet's payload: 0xff, the error number little endian, the message (no SQLSTATE marker before the handshake). */
    private static byte[] errorPacket(int code, String message) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0xff);
        packet.write(code & 0xff);
        packet.write(code >> 8);
        packet.writeBytes(message.getBytes(StandardCharsets.UTF_8));
        return packet.toByteArray();
    }
}
