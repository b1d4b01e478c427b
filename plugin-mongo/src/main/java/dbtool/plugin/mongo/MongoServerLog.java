package dbtool.plugin.mongo;

import dbtool.spi.CheckContext;
import dbtool.spi.LogSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.bson.Document;

/**
 * Reads MongoDB's recent log over the session with {@code getLog: "global"}: the server keeps its
 * last 1024 entries in memory, each one a line of its 4.4+ structured JSON log, so the file reader
 * reads them as it reads mongod.log. Older entries are only in the file.
 */
final class MongoServerLog {

    private MongoServerLog() {
    }

    static LogSource.ServerLog read(MongoSession session, long maxBytes, CheckContext context) throws Exception {
        Document reply;
        try {
            reply = session.run("admin", new Document("getLog", "global"), context);
        } catch (MongoCommandFailure e) {
            if (e.code() == MongoErrors.UNAUTHORIZED) {
                String user = session.user().isEmpty() ? "<user>" : session.user();
                throw new LogSource.Unreadable("the user " + user + " may not read the log (getLog): grant it the clusterMonitor role,"
                        + " db.grantRolesToUser('" + user + "', [{role: 'clusterMonitor', db: 'admin'}])");
            }
            throw e;
        }
        List<String> entries = reply.getList("log", String.class, List.of());
        // Oldest first, as the server lists them: keep the newest entries within the byte bound.
        Deque<String> kept = new ArrayDeque<>();
        long bytes = 0;
        for (String entry : entries) {
            kept.addLast(entry + "\n");
            bytes += entry.length() + 1;
            while (bytes > maxBytes && !kept.isEmpty()) {
                bytes -= kept.removeFirst().length();
            }
        }
        Number total = reply.get("totalLinesWritten", Number.class);
        String name = "getLog global (the last " + entries.size() + " entries in the server's memory"
                + (total == null ? "" : " of " + total + " written") + ")";
        return new LogSource.ServerLog(name, "mongodb", null, String.join("", kept));
    }
}
