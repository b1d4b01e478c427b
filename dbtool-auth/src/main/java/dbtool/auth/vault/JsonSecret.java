package dbtool.auth.vault;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A one-field JSON body such as {@code {"password": "..."}} built from a char array, so the secret
 * never becomes a String (which could not be cleared); the caller clears the bytes after sending.
 */
final class JsonSecret {

    private JsonSecret() {
    }

    static byte[] object(String field, char[] value) {
        StringBuilder head = new StringBuilder("{\"").append(field).append("\":\"");
        char[] chars = new char[head.length() + value.length * 6 + 2];
        int n = 0;
        for (int i = 0; i < head.length(); i++) {
            chars[n++] = head.charAt(i);
        }
        for (char c : value) {
            if (c == '"' || c == '\\') {
                chars[n++] = '\\';
                chars[n++] = c;
            } else if (c < 0x20) {
                String escape = String.format("\\u%04x", (int) c);
                for (int i = 0; i < escape.length(); i++) {
                    chars[n++] = escape.charAt(i);
                }
            } else {
                chars[n++] = c;
            }
        }
        chars[n++] = '"';
        chars[n++] = '}';
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars, 0, n));
        byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        Arrays.fill(chars, '\0');
        return bytes;
    }
}
