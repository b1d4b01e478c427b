package dbtool.testkit.otlp;

import java.nio.charset.StandardCharsets;

/**
 * Reads protocol buffers' wire format (varints, fixed 32 and 64-bit values, length-delimited fields),
 * which is all OTLP's {@code ExportTraceServiceRequest} needs: no generated classes, no protobuf library.
 */
final class ProtoReader {

    private final byte[] bytes;
    private int position;
    private final int end;

    ProtoReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private ProtoReader(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.position = start;
        this.end = end;
    }

    boolean more() {
        return position < end;
    }

    /** The next field's tag: its number times 8 plus its wire type. */
    int tag() {
        return (int) varint();
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = next();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint at byte " + position);
    }

    long fixed64() {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (next() & 0xffL) << (8 * i);
        }
        return value;
    }

    byte[] bytes() {
        int length = length();
        byte[] copy = new byte[length];
        System.arraycopy(bytes, position, copy, 0, length);
        position += length;
        return copy;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The length-delimited field that follows, as a reader of its own. */
    ProtoReader message() {
        int length = length();
        ProtoReader nested = new ProtoReader(bytes, position, position + length);
        position += length;
        return nested;
    }

    /** Skips a field this reader does not need, by its wire type. */
    void skip(int tag) {
        switch (tag & 7) {
            case 0 -> varint();
            case 1 -> position += 8;
            case 2 -> {
                int length = length(); // first: "position += length()" would add to the position before the length's varint
                position += length;
            }
            case 5 -> position += 4;
            default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7) + " at byte " + position);
        }
        if (position > end) {
            throw new IllegalArgumentException("field runs past its message's end");
        }
    }

    private int length() {
        long length = varint();
        if (length < 0 || position + length > end) {
            throw new IllegalArgumentException("length " + length + " runs past its message's end");
        }
        return (int) length;
    }

    private byte next() {
        if (position >= end) {
            throw new IllegalArgumentException("message ends inside a field");
        }
        return bytes[position++];
    }
}
