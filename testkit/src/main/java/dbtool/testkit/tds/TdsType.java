package dbtool.testkit.tds;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;

/**
 * The column types a canned result may use, each written as the nullable TDS type SQL Server
 * itself sends for a computed or nullable column ([MS-TDS] 2.2.5.4): INTN, FLTN, BITN, DATETIMN and
 * NVARCHAR. datetime, not datetime2: jTDS 1.3.1 logs in with TDS 7.1, which has no datetime2.
 */
public enum TdsType {
    INT, BIGINT, FLOAT, BIT, DATETIME, NVARCHAR;

    private static final LocalDate DATETIME_EPOCH = LocalDate.of(1900, 1, 1);

    /** A column name with an optional {@code :type} suffix; a bare name is nvarchar. */
    static TdsType parse(String declaration, String typeName) {
        try {
            return valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown column type in " + declaration + ": expected one of int, bigint, float, bit, datetime, nvarchar");
        }
    }

    void writeTypeInfo(TokenWriter out) {
        switch (this) {
            case INT -> {
                out.int8(0x26);
                out.int8(4);
            }
            case BIGINT -> {
                out.int8(0x26);
                out.int8(8);
            }
            case FLOAT -> {
                out.int8(0x6D);
                out.int8(8);
            }
            case BIT -> {
                out.int8(0x68);
                out.int8(1);
            }
            case DATETIME -> {
                out.int8(0x6F);
                out.int8(8);
            }
            case NVARCHAR -> {
                out.int8(0xE7);
                out.int16(8000); // nvarchar(4000), in bytes
                out.raw(TokenWriter.COLLATION);
            }
        }
    }

    void writeValue(TokenWriter out, Object value) {
        if (value == null) {
            if (this == NVARCHAR) {
                out.int16(0xFFFF);
            } else {
                out.int8(0);
            }
            return;
        }
        switch (this) {
            case INT -> {
                out.int8(4);
                out.int32(((Number) value).intValue());
            }
            case BIGINT -> {
                out.int8(8);
                out.int64(((Number) value).longValue());
            }
            case FLOAT -> {
                out.int8(8);
                out.int64(Double.doubleToLongBits(((Number) value).doubleValue()));
            }
            case BIT -> {
                out.int8(1);
                out.int8(Boolean.TRUE.equals(value) || value instanceof Number n && n.intValue() != 0 ? 1 : 0);
            }
            case DATETIME -> {
                // days since 1900-01-01, then 1/300 s since midnight, in the server's local time
                LocalDateTime local = value instanceof Instant instant ? LocalDateTime.ofInstant(instant, ZoneId.systemDefault())
                        : (LocalDateTime) value;
                long days = local.toLocalDate().toEpochDay() - DATETIME_EPOCH.toEpochDay();
                long ticks = Math.round(Duration.between(local.toLocalDate().atStartOfDay(), local).toNanos() * 300 / 1e9);
                out.int8(8);
                out.int32((int) days);
                out.int32((int) ticks);
            }
            case NVARCHAR -> {
                byte[] text = TokenWriter.ucs2(value.toString());
                out.int16(text.length);
                out.raw(text);
            }
        }
    }

    /** Whether a value fits this column type (checked when a canned row is added, not when it is sent). */
    boolean accepts(Object value) {
        return value == null || switch (this) {
            case INT, BIGINT -> value instanceof Integer || value instanceof Long || value instanceof Short;
            case FLOAT -> value instanceof Number;
            case BIT -> value instanceof Boolean || value instanceof Number;
            case DATETIME -> value instanceof Instant || value instanceof LocalDateTime;
            case NVARCHAR -> value instanceof CharSequence || value instanceof Number;
        };
    }
}
