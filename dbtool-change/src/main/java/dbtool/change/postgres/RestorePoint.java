package dbtool.change.postgres;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The way back taken before a change: {@code pg_dump -Fc} of the tables the change touches (the
 * whole database when the change's text does not say which, if the database is under the size
 * limit), its SHA-256, and a named WAL restore point ({@code pg_create_restore_point}) when the
 * role may create one and {@code wal_level} keeps enough WAL for it to mean something.
 *
 * @param tables    the tables in the dump; empty for a whole-database dump
 * @param walPoint  the name of the WAL restore point, or null with {@code walReason} saying why not
 */
public record RestorePoint(Path file, String sha256, long bytes, List<String> tables, boolean wholeDatabase, String walPoint,
                           String walLsn, String walReason) {

    /** Takes a restore point of {@code tables} (null: the whole database) into {@code file}. */
    public static RestorePoint take(Connections target, PgTools tools, Connection session, Set<String> tables, long sizeLimit, Path file,
                                    String name, Duration lockTimeout) throws IOException, SQLException {
        List<String> args = new ArrayList<>(List.of("-Fc", "--lock-wait-timeout=" + lockTimeout.toMillis(), "-f", file.toString()));
        List<String> existing = new ArrayList<>();
        boolean whole = tables == null;
        if (whole) {
            long size;
            try (Statement s = session.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
                rs.next();
                size = rs.getLong(1);
            }
            if (size > sizeLimit) {
                throw new IOException("the change's statements do not say which tables they touch, and the database ("
                        + Projection.bytes(size) + ") is over the restore point limit (" + Projection.bytes(sizeLimit)
                        + "); raise --restore-limit or name the tables in plain DDL");
            }
        } else {
            for (String table : tables) {
                try (PreparedStatement q = session.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                    q.setString(1, table);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            existing.add(table);
                            args.add("--table=" + table);
                        }
                    }
                }
            }
            if (existing.isEmpty()) {
                args.add("--schema-only"); // only new objects: the dump keeps the schema as it was
            }
        }
        tools.run("pg_dump", args, target.libpqEnvironment(null), null, Duration.ofHours(2));
        String wal = null;
        String lsn = null;
        String reason;
        try (Statement s = session.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT current_setting('wal_level') IN ('replica', 'logical'),
                       has_function_privilege('pg_create_restore_point(text)', 'EXECUTE'), pg_is_in_recovery()""")) {
            rs.next();
            reason = !rs.getBoolean(1) ? "wal_level is minimal" : !rs.getBoolean(2) ? "the role may not run pg_create_restore_point()"
                    : rs.getBoolean(3) ? "the server is a standby" : null;
        }
        if (reason == null) {
            try (PreparedStatement q = session.prepareStatement("SELECT pg_create_restore_point(?)::text")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    lsn = rs.getString(1);
                    wal = name;
                }
            }
        }
        return new RestorePoint(file, sha256(file), Files.size(file), existing, whole, wal, lsn, reason);
    }

    /** As kept in the audit trail of the state store. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("file", file.toAbsolutePath().toString());
        o.addProperty("sha256", sha256);
        o.addProperty("bytes", bytes);
        JsonArray list = new JsonArray();
        tables.forEach(list::add);
        o.add("tables", list);
        o.addProperty("wholeDatabase", wholeDatabase);
        o.addProperty("walPoint", walPoint);
        o.addProperty("walLsn", walLsn);
        o.addProperty("walReason", walReason);
        return o;
    }

    public static RestorePoint fromJson(JsonObject o) {
        List<String> tables = new ArrayList<>();
        o.getAsJsonArray("tables").forEach(t -> tables.add(t.getAsString()));
        return new RestorePoint(Path.of(o.get("file").getAsString()), o.get("sha256").getAsString(), o.get("bytes").getAsLong(), tables,
                o.get("wholeDatabase").getAsBoolean(), text(o, "walPoint"), text(o, "walLsn"), text(o, "walReason"));
    }

    private static String text(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull() ? o.get(field).getAsString() : null;
    }

    /** Whether the file is still the one taken. */
    public boolean intact() {
        try {
            return Files.isRegularFile(file) && sha256(file).equals(sha256);
        } catch (IOException e) {
            return false;
        }
    }

    /** Restores the dump's tables in one transaction: dropped and recreated as they were. */
    public void restore(Connections target, PgTools tools) throws IOException {
        tools.run("pg_restore", List.of("--clean", "--if-exists", "--single-transaction", "--no-owner", "--exit-on-error",
                "-d", target.database(), file.toString()), target.libpqEnvironment(null), null, Duration.ofHours(2));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
