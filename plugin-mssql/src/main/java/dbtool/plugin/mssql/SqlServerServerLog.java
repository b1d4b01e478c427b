package dbtool.plugin.mssql;

import dbtool.spi.CheckContext;
import dbtool.spi.LogSource;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the tail of SQL Server's current error log over the session with {@code sys.sp_readerrorlog}
 * (log 0, the current one; type 1, the SQL Server log, not the Agent's), and writes its rows back as
 * ERRORLOG lines, so that the file reader (and its rules) read them as they read the file.
 */
public final class SqlServerServerLog {

    // A plain batch, as every statement of this plugin (no RPC: jTDS would wrap it in sp_prepare).
    public static final String READ = "EXEC sys.sp_readerrorlog 0, 1";

    /**
     * What the server answers a login that may not read the log: 15003 "Only members of the securityadmin
     * role can execute this stored procedure" (xp_readerrorlog's own check), 229/297/300 a missing permission.
     */
    private static final Set<Integer> NOT_ALLOWED = Set.of(15003, 229, 297, 300);

    // ERRORLOG's own layout: centiseconds, no zone; the reader reads it in this machine's zone, so it is written in that zone.
    private static final DateTimeFormatter ERRORLOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SS");

    private SqlServerServerLog() {
    }

    static LogSource.ServerLog read(SqlServerSession session, long maxBytes, CheckContext context) throws Exception {
        List<Map<String, Object>> rows;
        try {
            rows = session.query(READ, context);
        } catch (SQLException e) {
            if (NOT_ALLOWED.contains(e.getErrorCode())) {
                throw new LogSource.Unreadable("this login may not read the error log (sys.sp_readerrorlog, error " + e.getErrorCode()
                        + "): ALTER SERVER ROLE securityadmin ADD MEMBER <login>, or GRANT VIEW SERVER STATE TO <login> where the server accepts it");
            }
            throw e;
        }
        // Oldest row first: keep the newest lines within the byte bound.
        Deque<String> lines = new ArrayDeque<>();
        long bytes = 0;
        for (Map<String, Object> row : rows) {
            String line = line(row);
            lines.addLast(line);
            bytes += line.length();
            while (bytes > maxBytes && !lines.isEmpty()) {
                bytes -= lines.removeFirst().length();
            }
        }
        return new LogSource.ServerLog("sys.sp_readerrorlog (current log)", "sqlserver", null, String.join("", lines));
    }

    /** One row as an ERRORLOG line: time, the source (spid52, Server, Logon) padded as SQL Server pads it, the text. */
    static String line(Map<String, Object> row) {
        String source = String.valueOf(row.getOrDefault("ProcessInfo", ""));
        String text = String.valueOf(row.getOrDefault("Text", "")).replace("\r\n", "\n").replace('\r', '\n');
        return time(row.get("LogDate")) + " " + source + " ".repeat(Math.max(2, 13 - source.length())) + text + "\n";
    }

    /** The toolkit gives a datetime as an ISO instant (read in this JVM's zone); back to the wall-clock time it was. */
    private static String time(Object logDate) {
        try {
            return ERRORLOG_TIME.format(Instant.parse(String.valueOf(logDate)).atZone(ZoneId.systemDefault()));
        } catch (DateTimeParseException e) {
            return String.valueOf(logDate);
        }
    }
}
