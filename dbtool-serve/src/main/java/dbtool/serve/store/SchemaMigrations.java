package dbtool.serve.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A set of tables kept in the state store and moved forward by version: the store's own, and those a
 * feature module (triage) keeps beside them. Each owner has its own version table and advisory lock,
 * so their versions move independently.
 *
 * @param versionTable the table that records the versions applied
 * @param lockKey      the PostgreSQL advisory lock that serialises replicas migrating a shared store at once
 * @param migrations   each entry moves the schema one version up; never edit one that shipped, add the next
 */
public record SchemaMigrations(String versionTable, long lockKey, List<List<String>> migrations) {

    /** Thrown when the database is at a version newer than this dbtool knows. */
    public static final class TooNewException extends SQLException {
        private static final long serialVersionUID = 1L;

        /** The version found and the newest known. */
        TooNewException(int found, int known) {
            super("schema version " + found + ", newer than this dbtool knows (" + known + "): upgrade dbtool");
        }
    }

    public SchemaMigrations {
        migrations = List.copyOf(migrations);
    }

    /** Brings the tables to the newest version in one transaction; a failed migration leaves them as they were. */
    public void apply(Connection c) throws SQLException {
        boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        c.setAutoCommit(false);
        try (Statement statement = c.createStatement()) {
            if (postgres) {
                // Replicas starting together: one migrates, the others wait here and then find the work
                // done. (CREATE TABLE IF NOT EXISTS alone races: both see no table, the second fails.)
                statement.execute("SELECT pg_advisory_xact_lock(" + lockKey + ")");
            }
            statement.execute("CREATE TABLE IF NOT EXISTS " + versionTable + " (version INTEGER NOT NULL)");
            int version = version(statement);
            if (version > migrations.size()) {
                throw new TooNewException(version, migrations.size());
            }
            for (int v = version; v < migrations.size(); v++) {
                for (String sql : migrations.get(v)) {
                    statement.execute(sql);
                }
                statement.execute("INSERT INTO " + versionTable + " (version) VALUES (" + (v + 1) + ")");
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The version the tables are at (0 before the first migration). */
    public int version(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            return version(statement);
        }
    }

    private int version(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + versionTable)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
