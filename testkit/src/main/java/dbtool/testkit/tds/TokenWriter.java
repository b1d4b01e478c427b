package dbtool.testkit.tds;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds the token stream of one reply ([MS-TDS] 2.2.7): little-endian integers, UCS-2 text,
 * B_VARCHAR (a length byte in characters) and US_VARCHAR (a two-byte length in characters).
 * Sizes that depend on the negotiated TDS version (DONE's row count, COLMETADATA's user type)
 * follow the version the client logged in with.
 */
final class TokenWriter {

    /** SQL_Latin1_General_CP1_CI_AS, the default collation of an English-language install. */
    static final byte[] COLLATION = {0x09, 0x04, (byte) 0xD0, 0x00, 0x34};

    static final int DONE_MORE = 0x01;
    static final int DONE_ERROR = 0x02;
    static final int DONE_COUNT = 0x10;
    static final int DONE_ATTN = 0x20;

    private static final int TDS_72 = 0x72090002;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int tdsVersion;

    TokenWriter(int tdsVersion) {
        this.tdsVersion = tdsVersion;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    TokenWriter loginAck(int tdsVersion, String program, int major, int minor, int build) {
        byte[] name = ucs2(program);
        out.write(0xAD);
        int16(1 + 4 + 1 + name.length + 4);
        out.write(1); // interface: T-SQL
        out.write(tdsVersion >>> 24); // the version is the one big-endian field of the protocol
        out.write(tdsVersion >>> 16);
        out.write(tdsVersion >>> 8);
        out.write(tdsVersion);
        out.write(program.length());
        out.writeBytes(name);
        out.write(major);
        out.write(minor);
        out.write(build >>> 8);
        out.write(build);
        return this;
    }

    TokenWriter databaseChanged(String database, String previous) {
        return envChange(1, database, previous);
    }

    TokenWriter packetSizeChanged(int size) {
        return envChange(4, Integer.toString(size), Integer.toString(size));
    }

    TokenWriter collation() {
        out.write(0xE3);
        int16(1 + 1 + COLLATION.length + 1);
        out.write(7);
        out.write(COLLATION.length);
        out.writeBytes(COLLATION);
        out.write(0);
        return this;
    }

    private TokenWriter envChange(int type, String value, String old) {
        out.write(0xE3);
        int16(1 + 1 + value.length() * 2 + 1 + old.length() * 2);
        out.write(type);
        bVarchar(value);
        bVarchar(old);
        return this;
    }

    /** An ERROR token (0xAA); class 11 and above is an error, as SQL Server sends it. */
    TokenWriter error(int number, int state, int severity, String message, String server) {
        return message(0xAA, number, state, severity, message, server);
    }

    /** An INFO token (0xAB), such as 5701 "Changed database context". */
    TokenWriter info(int number, int state, String message, String server) {
        return message(0xAB, number, state, 0, message, server);
    }

    private TokenWriter message(int token, int number, int state, int severity, String message, String server) {
        out.write(token);
        int16(4 + 1 + 1 + 2 + message.length() * 2 + 1 + server.length() * 2 + 1 + lineNumberSize());
        int32(number);
        out.write(state);
        out.write(severity);
        int16(message.length());
        out.writeBytes(ucs2(message));
        bVarchar(server);
        bVarchar(""); // procedure name
        if (lineNumberSize() == 4) {
            int32(1);
        } else {
            int16(1);
        }
        return this;
    }

    TokenWriter columns(TdsResult result) {
        out.write(0x81);
        int16(result.columns().size());
        for (TdsResult.Column column : result.columns()) {
            if (tdsVersion >= TDS_72) {
                int32(0);
            } else {
                int16(0);
            }
            int16(0x0001 | 0x0008); // nullable; read-only (updatable "unknown")
            column.type().writeTypeInfo(this);
            bVarchar(column.name());
        }
        return this;
    }

    TokenWriter rows(TdsResult result) {
        for (List<Object> row : result.rows()) {
            out.write(0xD1);
            for (int i = 0; i < row.size(); i++) {
                result.columns().get(i).type().writeValue(this, row.get(i));
            }
        }
        return this;
    }

    TokenWriter done(int status, int rowCount) {
        return done(status, 0xC1, rowCount); // current command: SELECT
    }

    /** A DONE for another command: jTDS takes the row count of an INSERT, UPDATE or DELETE (not a SELECT's) as the update count. */
    TokenWriter done(int status, int command, int rowCount) {
        out.write(0xFD);
        int16(status);
        int16(command);
        if (tdsVersion >= TDS_72) {
            int64(rowCount);
        } else {
            int32(rowCount);
        }
        return this;
    }

    private int lineNumberSize() {
        return tdsVersion >= TDS_72 ? 4 : 2;
    }

    void int8(int value) {
        out.write(value);
    }

    void int16(int value) {
        out.write(value);
        out.write(value >>> 8);
    }

    void int32(int value) {
        int16(value);
        int16(value >>> 16);
    }

    void int64(long value) {
        int32((int) value);
        int32((int) (value >>> 32));
    }

    void raw(byte[] bytes) {
        out.writeBytes(bytes);
    }

    void bVarchar(String text) {
        out.write(text.length());
        out.writeBytes(ucs2(text));
    }

    static byte[] ucs2(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }
}
