package dbtool.testkit.tds;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * TDS packet framing ([MS-TDS] 2.2.3): an 8-byte header (type, status, big-endian length including
 * the header, SPID, packet id, window) before each packet's payload. Reads whole messages and
 * writes a reply split into packets no larger than the negotiated packet size.
 */
final class TdsFraming {

    static final int HEADER = 8;
    private static final int END_OF_MESSAGE = 0x01;

    private final DataInputStream in;
    private final OutputStream out;
    private final int spid;
    private int packetSize = 4096;

    TdsFraming(InputStream in, OutputStream out, int spid) {
        this.in = new DataInputStream(in);
        this.out = out;
        this.spid = spid;
    }

    void packetSize(int size) {
        this.packetSize = size;
    }

    /** The next message, or null when the client closed the connection between messages. */
    TdsMessage read() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int type = -1;
        while (true) {
            int first = in.read();
            if (first < 0) {
                if (type < 0) {
                    return null;
                }
                throw new EOFException("the client closed the connection inside a message");
            }
            int status = in.readUnsignedByte();
            int length = in.readUnsignedShort();
            in.readFully(new byte[4]); // SPID, packet id, window: nothing a responder needs
            if (length < HEADER) {
                throw new IOException("bad TDS packet length " + length);
            }
            byte[] body = new byte[length - HEADER];
            in.readFully(body);
            if (type < 0) {
                type = first;
            }
            payload.writeBytes(body);
            if ((status & END_OF_MESSAGE) != 0) {
                return new TdsMessage(type, payload.toByteArray());
            }
        }
    }

    /** Sends a tabular-result reply (type 4) of these token bytes. */
    void reply(byte[] tokens) throws IOException {
        write(TdsMessage.REPLY, tokens);
    }

    void write(int type, byte[] payload) throws IOException {
        int max = packetSize - HEADER;
        int offset = 0;
        int packetId = 1;
        do {
            int chunk = Math.min(max, payload.length - offset);
            boolean last = offset + chunk >= payload.length;
            int length = chunk + HEADER;
            out.write(new byte[] {(byte) type, (byte) (last ? END_OF_MESSAGE : 0), (byte) (length >> 8), (byte) length,
                    (byte) (spid >> 8), (byte) spid, (byte) packetId++, 0});
            out.write(payload, offset, chunk);
            offset += chunk;
        } while (offset < payload.length);
        out.flush();
    }
}
