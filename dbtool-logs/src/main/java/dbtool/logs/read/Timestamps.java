package dbtool.logs.read;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads the timestamps the engines write, for {@code --since}: PostgreSQL's %m and %t with a zone
 * name or offset, %n (epoch seconds), ISO-8601 with an offset (MongoDB, jsonlog), and SQL Server's
 * ERRORLOG time, which has no zone (the server's local time; read in {@code localZone}).
 */
public final class Timestamps {

    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS][.SS] z");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS] x");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS][.SS]");

    private Timestamps() {
    }

    /** The instant, or null when the text is none of the forms above (the entry is then kept). */
    public static Instant parse(String text, ZoneId localZone) {
        if (text == null || text.length() < 10) {
            return null;
        }
        try {
            if (text.indexOf('T') == 10) {
                return OffsetDateTime.parse(text).toInstant();
            }
            if (Character.isDigit(text.charAt(0)) && text.indexOf('-') < 0) {
                double seconds = Double.parseDouble(text);
                return Instant.ofEpochMilli((long) (seconds * 1000));
            }
            int space = text.lastIndexOf(' ');
            if (space > 10) {
                String zone = text.substring(space + 1);
                if (zone.startsWith("+") || zone.startsWith("-")) {
                    return ZonedDateTime.parse(text, OFFSET).toInstant();
                }
                return ZonedDateTime.parse(text, ZONED).toInstant();
            }
            return LocalDateTime.parse(text, LOCAL).atZone(localZone).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }
}
