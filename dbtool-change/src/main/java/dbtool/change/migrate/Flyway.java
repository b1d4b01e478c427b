package dbtool.change.migrate;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The few Flyway calls dbtool makes (configure, info, migrate), reached by reflection on Flyway's
 * public API types in the loader {@link FlywayLoader} made. Only JDK types cross: a
 * {@link DataSource} in, strings, numbers and instants out, so Flyway stays in its own loader.
 * Flyway's history table and its {@code V<version>__<description>.sql} convention are kept, so a
 * team's existing folder and history carry over.
 */
public final class Flyway {

    /** Flyway's default history table, which teams already have. */
    public static final String HISTORY_TABLE = "flyway_schema_history";
    // Flyway logs through java.util.logging when no other logger is present: its progress lines are
    // not dbtool's output. The reference keeps the level from being collected with the logger.
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

    static {
        FLYWAY_LOG.setLevel(Level.WARNING);
    }

    /**
     * One migration as Flyway sees it: resolved from the folder, applied on the target, or both.
     *
     * @param state Flyway's state name: PENDING, SUCCESS, FAILED, MISSING_SUCCESS, OUTDATED, ...
     */
    public record Info(String version, String description, String script, String type, String state, Integer resolvedChecksum,
                       Integer appliedChecksum, Instant installedOn, String installedBy, Integer executionTimeMs, boolean applied) {

        public boolean checksumMismatch() {
            return applied && resolvedChecksum != null && appliedChecksum != null && !resolvedChecksum.equals(appliedChecksum);
        }
    }

    /** Flyway said no; {@code sqlState} is the database's code when a statement failed. */
    public static final class FlywayFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String sqlState;
        private final int errorCode;

        public FlywayFailure(String message, String sqlState, Throwable cause) {
            this(message, sqlState, 0, cause);
        }

        /** @param errorCode the database's own error number (SQL Server's 1222 for a lock timeout), 0 when none */
        public FlywayFailure(String message, String sqlState, int errorCode, Throwable cause) {
            super(message, cause, false, false);
            this.sqlState = sqlState;
            this.errorCode = errorCode;
        }

        public int errorCode() {
            return errorCode;
        }

        public Optional<String> sqlState() {
            return Optional.ofNullable(sqlState);
        }
    }

    private final ClassLoader loader;
    private final Object flyway;

    private Flyway(ClassLoader loader, Object flyway) {
        this.loader = loader;
        this.flyway = flyway;
    }

    /**
     * Configures Flyway on a folder of migrations.
     *
     * @param initSql run on each connection Flyway opens (the lock timeout), or null
     */
    public static Flyway configure(ClassLoader loader, DataSource dataSource, Path folder, String installedBy, String initSql) {
        try {
            Class<?> fluent = loader.loadClass("org.flywaydb.core.api.configuration.FluentConfiguration");
            Object configuration = fluent.getConstructor(ClassLoader.class).newInstance(loader);
            fluent.getMethod("loggers", String[].class).invoke(configuration, (Object) new String[] {"auto"});
            fluent.getMethod("dataSource", DataSource.class).invoke(configuration, dataSource);
            fluent.getMethod("locations", String[].class).invoke(configuration,
                    (Object) new String[] {"filesystem:" + folder.toAbsolutePath()});
            fluent.getMethod("table", String.class).invoke(configuration, HISTORY_TABLE);
            // MigrationFolder has checked every name already, more strictly and with one line per mistake
            fluent.getMethod("validateMigrationNaming", boolean.class).invoke(configuration, false);
            fluent.getMethod("cleanDisabled", boolean.class).invoke(configuration, true);
            // CREATE INDEX CONCURRENTLY cannot run in a transaction: Flyway runs such a migration without one
            fluent.getMethod("mixed", boolean.class).invoke(configuration, true);
            fluent.getMethod("connectRetries", int.class).invoke(configuration, 0);
            // A database that has tables but no history table yet (a team starting with dbtool change, or with
            // Flyway): its history starts at a baseline of version 0, so every V file is pending, V1 included.
            fluent.getMethod("baselineOnMigrate", boolean.class).invoke(configuration, true);
            fluent.getMethod("baselineVersion", String.class).invoke(configuration, "0");
            if (installedBy != null) {
                fluent.getMethod("installedBy", String.class).invoke(configuration, installedBy);
            }
            if (initSql != null) {
                fluent.getMethod("initSql", String.class).invoke(configuration, initSql);
            }
            Object flyway = fluent.getMethod("load").invoke(configuration);
            // Flyway's default keeps its history lock in an open transaction, and CREATE INDEX CONCURRENTLY waits
            // for every older transaction: it would wait for Flyway's own (until the lock timeout). A session lock instead.
            // (SQL Server's loader has no PostgreSQL extension: Flyway takes sp_getapplock there, a session lock already.)
            Class<?> extension = postgresExtension(loader);
            if (extension != null) {
                Object postgres = loader.loadClass("org.flywaydb.core.Flyway").getMethod("getConfigurationExtension", Class.class)
                        .invoke(flyway, extension);
                extension.getMethod("setTransactionalLock", boolean.class).invoke(postgres, false);
            }
            return new Flyway(loader, flyway);
        } catch (InvocationTargetException e) {
            throw failure(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new FlywayFailure("this Flyway does not have the API dbtool uses (" + e + ")", null, e);
        }
    }

    private static Class<?> postgresExtension(ClassLoader loader) {
        try {
            return loader.loadClass("org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension");
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** Every migration, resolved and applied, in Flyway's order. Only reads the target. */
    public List<Info> info() {
        try {
            Class<?> api = loader.loadClass("org.flywaydb.core.Flyway");
            Class<?> serviceType = loader.loadClass("org.flywaydb.core.api.MigrationInfoService");
            Class<?> infoType = loader.loadClass("org.flywaydb.core.api.MigrationInfo");
            Object service = api.getMethod("info").invoke(flyway);
            Object[] all = (Object[]) serviceType.getMethod("all").invoke(service);
            List<Info> infos = new ArrayList<>();
            for (Object info : all) {
                Object version = infoType.getMethod("getVersion").invoke(info);
                Object installedOn = infoType.getMethod("getInstalledOn").invoke(info);
                infos.add(new Info(version == null ? null : version.toString(),
                        (String) infoType.getMethod("getDescription").invoke(info),
                        (String) infoType.getMethod("getScript").invoke(info),
                        String.valueOf(infoType.getMethod("getType").invoke(info)),
                        String.valueOf(infoType.getMethod("getState").invoke(info)),
                        (Integer) infoType.getMethod("getResolvedChecksum").invoke(info),
                        (Integer) infoType.getMethod("getAppliedChecksum").invoke(info),
                        installedOn instanceof Date date ? date.toInstant() : null,
                        (String) infoType.getMethod("getInstalledBy").invoke(info),
                        (Integer) infoType.getMethod("getExecutionTime").invoke(info),
                        (Boolean) infoType.getMethod("isApplied").invoke(info)));
            }
            return infos;
        } catch (InvocationTargetException e) {
            throw failure(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new FlywayFailure("this Flyway does not have the API dbtool uses (" + e + ")", null, e);
        }
    }

    /** Applies the pending migrations; returns how many ran. */
    public int migrate() {
        try {
            Class<?> api = loader.loadClass("org.flywaydb.core.Flyway");
            Object result = api.getMethod("migrate").invoke(flyway);
            return result.getClass().getField("migrationsExecuted").getInt(result);
        } catch (InvocationTargetException e) {
            throw failure(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new FlywayFailure("this Flyway does not have the API dbtool uses (" + e + ")", null, e);
        }
    }

    private static FlywayFailure failure(Throwable thrown) {
        String sqlState = null;
        String sqlMessage = null;
        int errorCode = 0;
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sqlState == null) {
                sqlState = sql.getSQLState();
                sqlMessage = sql.getMessage();
                errorCode = sql.getErrorCode();
            }
        }
        String message = sqlMessage != null ? sqlMessage : thrown == null ? "unknown failure" : firstLine(thrown.getMessage());
        return new FlywayFailure(message == null ? thrown.getClass().getSimpleName() : message.replaceAll("\\s+", " ").trim(), sqlState, errorCode,
                thrown);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        String[] lines = message.strip().split("\\R");
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("---")) {
                continue;
            }
            text.append(text.isEmpty() ? "" : " ").append(line.strip());
            if (text.length() > 300) {
                break;
            }
        }
        return text.toString();
    }
}
