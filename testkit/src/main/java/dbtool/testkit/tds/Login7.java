package dbtool.testkit.tds;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What a LOGIN7 message ([MS-TDS] 2.2.6.4) carried: the fixed part (TDS version, packet size, flags)
 * and the variable strings found through their offset/length pairs. The password arrives
 * obfuscated (each byte's nibbles swapped, then XORed with 0xA5); it is decoded here only so
 * that the responder can compare it, and {@link #toString()} never shows it.
 */
public record Login7(int tdsVersion, int packetSize, String hostName, String userName, String password, String appName,
                     String serverName, String libraryName, String language, String database, boolean integratedSecurity) {

    static Login7 parse(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        int tdsVersion = in.getInt(4); // little-endian here, big-endian in LOGINACK
        int packetSize = in.getInt(8);
        boolean integrated = (payload[25] & 0x80) != 0; // OptionFlags2 fIntSecurity
        return new Login7(tdsVersion, packetSize, text(in, 36), text(in, 40), password(in, 44), text(in, 48), text(in, 52),
                text(in, 60), text(in, 64), text(in, 68), integrated);
    }

    private static String text(ByteBuffer in, int pointer) {
        int offset = Short.toUnsignedInt(in.getShort(pointer));
        int chars = Short.toUnsignedInt(in.getShort(pointer + 2));
        return new String(in.array(), offset, chars * 2, StandardCharsets.UTF_16LE);
    }

    private static String password(ByteBuffer in, int pointer) {
        int offset = Short.toUnsignedInt(in.getShort(pointer));
        int chars = Short.toUnsignedInt(in.getShort(pointer + 2));
        byte[] bytes = new byte[chars * 2];
        for (int i = 0; i < bytes.length; i++) {
            int b = (in.array()[offset + i] & 0xFF) ^ 0xA5;
            bytes[i] = (byte) (((b & 0x0F) << 4) | (b >>> 4));
        }
        return new String(bytes, StandardCharsets.UTF_16LE);
    }

    @Override
    public String toString() {
        return "Login7[user=" + userName + ", database=" + database + ", appName=" + appName + ", host=" + hostName
                + ", library=" + libraryName + ", tdsVersion=0x" + Integer.toHexString(tdsVersion) + "]";
    }
}
