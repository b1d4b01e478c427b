package dbtool.testkit.tds;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TDS connection's session on the {@link TdsBackingStore}: jTDS's transaction housekeeping
 * ({@code SET IMPLICIT_TRANSACTIONS}, {@code IF @@TRANCOUNT > 0 COMMIT TRAN}) and T-SQL's
 * {@code BEGIN TRAN}/{@code COMMIT}/{@code ROLLBACK} become H2's, {@code SET LOCK_TIMEOUT} is H2's own
 * (the same words), sp_getapplock and sp_releaseapplock are the store's, and the rest goes to H2 after
 * {@link TsqlRewrites}; its result sets, update counts and errors go back as TDS tokens, H2's lock
 * timeout as SQL Server's error 1222.
 */
final class TdsBackedSession implements AutoCloseable {

    private static final Pattern APPLOCK = Pattern.compile("(?is)^\\s*(?:DECLARE\\s+@\\w+\\s+INT\\s*;?\\s*)?EXEC(?:UTE)?\\s+(?:@\\w+\\s*=\\s*)?"
            + "(?:\\w+\\.)*(sp_getapplock|sp_releaseapplock)\\b(.*)$");
    private static final Pattern RESOURCE = Pattern.compile("(?i)@Resource\\s*=\\s*N?'((?:[^']|'')*)'");
    private static final Pattern LOCK_TIMEOUT_ARG = Pattern.compile("(?i)@LockTimeout\\s*=\\s*'?(-?\\d+)'?");
    private static final Pattern SET_LOCK_TIMEOUT = Pattern.compile("(?i)^SET\\s+LOCK_TIMEOUT\\s+(-?\\d+)\\s*;?$");

    private final TdsBackingStore store;
    private final Connection h2;
    private final int spid;
    private final TsqlRewrites rewrites;
    private boolean implicitTransactions;
    private boolean explicitTransaction;

    TdsBackedSession(TdsBackingStore store, Connection h2, int spid, String user) {
        this.store = store;
        this.h2 = h2;
        this.spid = spid;
        this.rewrites = new TsqlRewrites(store.database(), user, spid);
    }

    /** The answer to a batch, or null for what the responder answers itself (jTDS's first batch). */
    TdsAnswer answer(String sql) {
        String text = TdsScenario.normalize(sql);
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith("SELECT @@MAX_PRECISION")) {
            return null;
        }
        try {
            TdsAnswer housekeeping = housekeeping(upper);
            if (housekeeping != null) {
                return housekeeping;
            }
            if (upper.contains("@@OPTIONS") && upper.contains("ANSI_NULLS")) {
                // Flyway asks whether ANSI_NULLS is on (bit 32 of @@OPTIONS) to put it back afterwards
                return TdsAnswer.rows(TdsResult.columns("ANSI_NULLS").row("ON"));
            }
            Matcher applock = APPLOCK.matcher(text);
            if (applock.matches()) {
                return appLock(applock.group(1).toLowerCase(Locale.ROOT), applock.group(2));
            }
            return execute(rewrites.apply(sql));
        } catch (SQLException e) {
            store.recordFailure(text + " -> " + e.getMessage());
            return failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TdsAnswer.error(50000, 16, "interrupted");
        }
    }

    /** Transactions and SET: a batch may hold several of jTDS's lines (commit, then implicit transactions off). */
    private TdsAnswer housekeeping(String upper) throws SQLException {
        List<String> parts = List.of(upper.split("(?=\\bIF @@TRANCOUNT\\b)|(?=\\bSET )|(?=\\bUSE )|(?=\\bBEGIN TRAN)|(?=\\bCOMMIT\\b)|(?=\\bROLLBACK\\b)"));
        boolean all = parts.stream().map(String::strip).allMatch(p -> p.isEmpty() || p.startsWith("SET ") || p.startsWith("IF @@TRANCOUNT")
                || p.startsWith("USE ")
                || p.matches("(BEGIN TRAN(SACTION)?|COMMIT( TRAN(SACTION)?| WORK)?|ROLLBACK( TRAN(SACTION)?| WORK)?)\\s*;?"));
        if (!all || upper.startsWith("SET ") && upper.contains(" SELECT ")) {
            return null;
        }
        for (String raw : parts) {
            String part = raw.strip();
            if (part.isEmpty()) {
                continue;
            }
            if (part.startsWith("IF @@TRANCOUNT > 0 COMMIT") || part.matches("COMMIT.*")) {
                h2.commit();
                explicitTransaction = false;
                h2.setAutoCommit(!implicitTransactions);
            } else if (part.startsWith("IF @@TRANCOUNT > 0 ROLLBACK") || part.matches("ROLLBACK.*")) {
                h2.rollback();
                explicitTransaction = false;
                h2.setAutoCommit(!implicitTransactions);
            } else if (part.startsWith("BEGIN TRAN")) {
                explicitTransaction = true;
                h2.setAutoCommit(false);
            } else if (part.startsWith("SET IMPLICIT_TRANSACTIONS")) {
                implicitTransactions = part.contains(" ON");
                h2.setAutoCommit(!implicitTransactions && !explicitTransaction);
            } else {
                Matcher lockTimeout = SET_LOCK_TIMEOUT.matcher(part);
                if (lockTimeout.matches()) {
                    try (Statement s = h2.createStatement()) {
                        // SQL Server's -1 waits for ever; H2 takes milliseconds the same way otherwise
                        s.execute("SET LOCK_TIMEOUT " + (lockTimeout.group(1).equals("-1") ? Integer.MAX_VALUE : lockTimeout.group(1)));
                    }
                }
                // other SET options (ANSI_NULLS, NOCOUNT, QUOTED_IDENTIFIER...) change nothing here
            }
        }
        return TdsAnswer.done();
    }

    private TdsAnswer appLock(String procedure, String arguments) throws InterruptedException {
        Matcher resource = RESOURCE.matcher(arguments);
        if (!resource.find()) {
            return TdsAnswer.error(201, 16, "Procedure or function '" + procedure + "' expects parameter '@Resource', which was not supplied.");
        }
        String name = resource.group(1).replace("''", "'");
        if (procedure.equals("sp_releaseapplock")) {
            store.appUnlock(name, spid);
            return TdsAnswer.rows(TdsResult.columns(":int").row(0));
        }
        Matcher timeout = LOCK_TIMEOUT_ARG.matcher(arguments);
        boolean granted = store.appLock(name, spid, timeout.find() ? Long.parseLong(timeout.group(1)) : -1);
        // sp_getapplock returns 0 when granted and -1 after its timeout; it raises no error
        return TdsAnswer.rows(TdsResult.columns(":int").row(granted ? 0 : -1));
    }

    private TdsAnswer execute(String sql) throws SQLException {
        try (Statement s = h2.createStatement()) {
            List<TdsResult> results = new ArrayList<>();
            int updated = -1;
            boolean isResult = s.execute(sql);
            while (true) {
                if (isResult) {
                    try (ResultSet rs = s.getResultSet()) {
                        results.add(result(rs));
                    }
                } else {
                    int count = s.getUpdateCount();
                    if (count == -1) {
                        break;
                    }
                    updated = Math.max(updated, 0) + count;
                }
                isResult = s.getMoreResults();
            }
            if (!results.isEmpty()) {
                return new TdsAnswer.Results(List.copyOf(results));
            }
            return updated > 0 ? new TdsAnswer.Updated(updated) : TdsAnswer.done();
        }
    }

    private static TdsResult result(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        String[] columns = new String[meta.getColumnCount()];
        TdsType[] types = new TdsType[columns.length];
        for (int i = 0; i < columns.length; i++) {
            types[i] = type(meta.getColumnType(i + 1));
            columns[i] = meta.getColumnLabel(i + 1) + ":" + types[i].name().toLowerCase(Locale.ROOT);
        }
        TdsResult result = TdsResult.columns(columns);
        while (rs.next()) {
            Object[] row = new Object[columns.length];
            for (int i = 0; i < columns.length; i++) {
                row[i] = switch (types[i]) {
                    case INT -> rs.getObject(i + 1) == null ? null : rs.getInt(i + 1);
                    case BIGINT -> rs.getObject(i + 1) == null ? null : rs.getLong(i + 1);
                    case FLOAT -> rs.getObject(i + 1) == null ? null : rs.getDouble(i + 1);
                    case BIT -> rs.getObject(i + 1) == null ? null : rs.getBoolean(i + 1);
                    case DATETIME -> {
                        Timestamp t = rs.getTimestamp(i + 1);
                        yield t == null ? null : t.toLocalDateTime();
                    }
                    case NVARCHAR -> rs.getString(i + 1);
                };
            }
            result.row(row);
        }
        return result;
    }

    private static TdsType type(int jdbcType) {
        return switch (jdbcType) {
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> TdsType.INT;
            case Types.BIGINT -> TdsType.BIGINT;
            case Types.BOOLEAN, Types.BIT -> TdsType.BIT;
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.DECIMAL, Types.NUMERIC -> TdsType.FLOAT;
            case Types.TIMESTAMP, Types.DATE, Types.TIMESTAMP_WITH_TIMEZONE -> TdsType.DATETIME;
            default -> TdsType.NVARCHAR;
        };
    }

    /** H2's error as the SQL Server error a client expects for the same mistake. */
    private static TdsAnswer failure(SQLException e) {
        String message = e.getMessage() == null ? "error" : e.getMessage().lines().findFirst().orElse("error");
        return switch (e.getErrorCode()) {
            case 50200 -> TdsAnswer.lockTimeout(); // LOCK_TIMEOUT_1
            case 40001 -> TdsAnswer.error(1205, 13, "Transaction was deadlocked on lock resources with another process and has been chosen as "
                    + "the deadlock victim. Rerun the transaction.");
            case 42102, 42104 -> TdsAnswer.error(208, 16, "Invalid object name: " + message);
            case 42101, 42111 -> TdsAnswer.error(2714, 16, "There is already an object named so in the database: " + message);
            case 23505 -> TdsAnswer.error(2627, 14, "Violation of PRIMARY KEY or UNIQUE constraint: " + message);
            case 42000, 42001 -> TdsAnswer.error(102, 15, "Incorrect syntax: " + message);
            default -> TdsAnswer.error(50000, 16, message);
        };
    }

    @Override
    public void close() {
        store.appUnlock(null, spid);
        try {
            h2.close(); // an open transaction is rolled back, as when a SQL Server session ends
        } catch (SQLException e) {
            // already gone
        }
    }
}
