package dbtool.plugin.postgres;

import dbtool.spi.CatalogSource.Catalog;
import dbtool.spi.CatalogSource.CatalogObject;
import dbtool.spi.CatalogSource.Weight;
import dbtool.spi.CheckContext;
import dbtool.toolkit.jdbc.JdbcSession;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PostgreSQL's catalog for {@code dbtool diff}: settings from pg_settings, extensions, schemas, tables
 * with their columns, indexes (pg_get_indexdef) and constraints (pg_get_constraintdef), functions
 * (pg_get_functiondef, compared with whitespace collapsed) and roles with their memberships (pg_roles,
 * whose password column is never read). System schemas and objects that belong to an extension are left
 * out: the extension stands for them. Each object carries the statements that create, alter or drop it.
 * Queries checked against PostgreSQL 12 to 17.
 */
final class PostgresCatalog {

    /**
     * Settings specific to the host or the instance: paths, addresses, names, sizes derived from the machine,
     * replication endpoints. They differ between any two servers and are compared only with --all-settings.
     */
    static final Set<String> LOCAL_SETTINGS = Set.of("archive_command", "archive_library", "cluster_name", "config_file",
            "data_directory", "data_directory_mode", "external_pid_file", "hba_file", "ident_file", "krb_server_keyfile",
            "listen_addresses", "log_directory", "log_filename", "port", "primary_conninfo", "primary_slot_name", "restore_command",
            "shared_memory_size", "shared_memory_size_in_huge_pages", "ssl_ca_file", "ssl_cert_file", "ssl_crl_dir", "ssl_crl_file",
            "ssl_key_file", "stats_temp_directory", "unix_socket_directories", "unix_socket_group", "unix_socket_permissions",
            "server_version", "server_version_num", "in_hot_standby");

    /**
     * Settings that change what applications see (results, errors, visibility, durability): a difference is a
     * WARNING. The rest (memory, planner, logging) are INFO.
     */
    static final Set<String> BEHAVIOUR_SETTINGS = Set.of("search_path", "default_transaction_isolation",
            "standard_conforming_strings", "idle_in_transaction_session_timeout", "lc_collate", "lc_ctype", "lc_messages",
            "lc_monetary", "lc_numeric", "lc_time", "default_text_search_config", "bytea_output", "xmloption", "row_security",
            "check_function_bodies", "session_replication_role", "array_nulls", "transform_null_equals", "synchronous_commit",
            "fsync", "full_page_writes", "max_connections", "max_prepared_transactions", "wal_level", "timezone", "datestyle",
            "intervalstyle", "default_table_access_method", "password_encryption", "ssl");

    // Settings the session itself sets (source 'client': application_name, statement_timeout, lock_timeout,
    // default_transaction_read_only and pgjdbc's client_encoding, DateStyle, TimeZone, extra_float_digits)
    // show dbtool's value, not the server's: they are left out.
    private static final String SETTINGS = """
            SELECT name, current_setting(name) AS value, context
            FROM pg_settings
            WHERE source NOT IN ('client', 'session')""";

    private static final String EXTENSIONS = """
            SELECT e.extname AS name, quote_ident(e.extname) AS q, e.extversion AS version, quote_ident(n.nspname) AS qschema
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace""";

    /** Not a system schema, not an extension's. */
    private static final String USER_NAMESPACE = """
            n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'""";

    private static final String SCHEMAS = """
            SELECT n.nspname AS name, quote_ident(n.nspname) AS q
            FROM pg_namespace n
            WHERE %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                              AND d.deptype = 'e')""".formatted(USER_NAMESPACE);

    private static final String TABLES = """
            SELECT n.nspname AS schema, c.relname AS name, format('%%I.%%I', n.nspname, c.relname) AS q,
                   c.relpersistence::text AS persistence,
                   CASE WHEN c.relkind = 'p' THEN ' PARTITION BY ' || pg_get_partkeydef(c.oid) ELSE '' END AS partition
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype = 'e')""".formatted(USER_NAMESPACE);

    private static final String COLUMNS = """
            SELECT n.nspname AS schema, c.relname AS "table", a.attname AS name, format('%%I.%%I', n.nspname, c.relname) AS qtable,
                   quote_ident(a.attname) AS q, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
                   pg_get_expr(d.adbin, d.adrelid) AS "default", a.attgenerated::text AS generated, a.attidentity::text AS identity
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid
                              AND x.deptype = 'e')
            ORDER BY n.nspname, c.relname, a.attnum""".formatted(USER_NAMESPACE);

    // Indexes that back a primary key, unique or exclusion constraint are the constraint's (ADD CONSTRAINT makes them).
    private static final String INDEXES = """
            SELECT n.nspname AS schema, i.relname AS name, t.relname AS "table", format('%%I.%%I', n.nspname, i.relname) AS q,
                   pg_get_indexdef(i.oid) AS definition, t.relkind = 'r' AS concurrent
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = i.relnamespace
            WHERE t.relkind IN ('r', 'p') AND %s
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid
                              AND k.contype IN ('p', 'u', 'x'))
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid
                              AND d.deptype = 'e')""".formatted(USER_NAMESPACE);

    // NOT NULL constraints (contype 'n', PostgreSQL 18) are the columns' nullability.
    private static final String CONSTRAINTS = """
            SELECT n.nspname AS schema, t.relname AS "table", k.conname AS name, format('%%I.%%I', n.nspname, t.relname) AS qtable,
                   quote_ident(k.conname) AS q, pg_get_constraintdef(k.oid) AS definition
            FROM pg_constraint k
            JOIN pg_class t ON t.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE k.contype::text <> 'n' AND %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid
                              AND d.deptype = 'e')
            ORDER BY k.contype = 'f', k.conname""".formatted(USER_NAMESPACE);

    // Aggregates and window functions have no pg_get_functiondef.
    private static final String FUNCTIONS = """
            SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS arguments,
                   format('%%I.%%I', n.nspname, p.proname) AS q, p.prokind::text AS kind, pg_get_functiondef(p.oid) AS definition
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('f', 'p') AND %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                              AND d.deptype = 'e')""".formatted(USER_NAMESPACE);

    // pg_roles shows no password (always ********); it is not read at all.
    private static final String ROLES = """
            SELECT rolname AS name, quote_ident(rolname) AS q, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
                   rolreplication, rolbypassrls, rolconnlimit
            FROM pg_roles
            WHERE rolname NOT LIKE 'pg\\_%'""";

    private static final String MEMBERSHIPS = """
            SELECT r.rolname AS role, m.rolname AS member, quote_ident(r.rolname) AS qrole, quote_ident(m.rolname) AS qmember
            FROM pg_auth_members a
            JOIN pg_roles r ON r.oid = a.roleid
            JOIN pg_roles m ON m.oid = a.member
            WHERE m.rolname NOT LIKE 'pg\\_%'""";

    private static final String VERSION = "SELECT current_setting('server_version') AS version, current_setting('server_version_num')::int AS num";

    private PostgresCatalog() {
    }

    static Catalog read(JdbcSession session, CheckContext context) throws SQLException {
        Map<String, Object> version = session.queryOne(VERSION, context);
        int num = ((Number) version.get("num")).intValue();
        String major = num >= 100000 ? Integer.toString(num / 10000) : (num / 10000) + "." + (num / 100 % 100);
        List<CatalogObject> objects = new ArrayList<>();
        settings(session.queryAll(SETTINGS, context), objects);
        for (Map<String, Object> row : session.queryAll(EXTENSIONS, context)) {
            String q = text(row, "q");
            String v = text(row, "version").replace("'", "''");
            objects.add(new CatalogObject("extension", null, text(row, "name"), null, Weight.BEHAVIOUR,
                    Map.of("version", text(row, "version")),
                    List.of("CREATE EXTENSION IF NOT EXISTS " + q + " WITH SCHEMA " + text(row, "qschema") + " VERSION '" + v + "'"),
                    Map.of("version", List.of("ALTER EXTENSION " + q + " UPDATE TO '" + v + "'")), List.of("DROP EXTENSION " + q)));
        }
        for (Map<String, Object> row : session.queryAll(SCHEMAS, context)) {
            String name = text(row, "name");
            objects.add(new CatalogObject("schema", name, name, null, Weight.BEHAVIOUR, Map.of(),
                    List.of("CREATE SCHEMA " + text(row, "q")), Map.of(), List.of("DROP SCHEMA " + text(row, "q"))));
        }
        tables(session, context, objects);
        for (Map<String, Object> row : session.queryAll(FUNCTIONS, context)) {
            String definition = text(row, "definition").strip();
            String signature = text(row, "q") + "(" + text(row, "arguments") + ")";
            String what = "p".equals(text(row, "kind")) ? "PROCEDURE " : "FUNCTION ";
            objects.add(new CatalogObject("function", text(row, "schema"), text(row, "name") + "(" + text(row, "arguments") + ")", null,
                    Weight.BEHAVIOUR, Map.of("definition", normalised(definition)), List.of(definition),
                    Map.of("definition", List.of(definition)), List.of("DROP " + what + signature)));
        }
        roles(session.queryAll(ROLES, context), objects);
        for (Map<String, Object> row : session.queryAll(MEMBERSHIPS, context)) {
            String grant = text(row, "qrole") + " TO " + text(row, "qmember");
            objects.add(new CatalogObject("membership", null, text(row, "member") + " in " + text(row, "role"), null, Weight.BEHAVIOUR,
                    Map.of(), List.of("GRANT " + grant), Map.of(),
                    List.of("REVOKE " + text(row, "qrole") + " FROM " + text(row, "qmember"))));
        }
        return new Catalog("postgresql", text(version, "version"), major, objects);
    }

    /** A function's definition as compared: runs of whitespace are one space, so re-indenting is no difference. */
    static String normalised(String definition) {
        return definition.strip().replaceAll("\\s+", " ");
    }

    private static void settings(List<Map<String, Object>> rows, List<CatalogObject> objects) {
        for (Map<String, Object> row : rows) {
            String name = text(row, "name");
            String value = text(row, "value");
            String lower = name.toLowerCase(Locale.ROOT);
            Weight weight = LOCAL_SETTINGS.contains(lower) ? Weight.LOCAL : BEHAVIOUR_SETTINGS.contains(lower) ? Weight.BEHAVIOUR : Weight.ORDINARY;
            // ALTER SYSTEM cannot run inside a transaction block: the statements are run one by one.
            if ("internal".equals(text(row, "context"))) {
                // Fixed when the cluster was built or compiled (block_size, data_checksums): no statement changes it.
                objects.add(new CatalogObject("setting", null, name, null, weight, Map.of("value", value), List.of(), Map.of(), List.of()));
                continue;
            }
            List<String> set = new ArrayList<>(List.of("ALTER SYSTEM SET " + name + " = '" + value.replace("'", "''") + "'",
                    "SELECT pg_reload_conf()"));
            if ("postmaster".equals(text(row, "context"))) {
                set.add("-- " + name + " takes effect only after a restart of the server");
            }
            objects.add(new CatalogObject("setting", null, name, null, weight, Map.of("value", value), List.of(),
                    Map.of("value", set), List.of()));
        }
    }

    private static void tables(JdbcSession session, CheckContext context, List<CatalogObject> objects) throws SQLException {
        Map<String, List<String>> columnsOf = new LinkedHashMap<>();
        List<CatalogObject> children = new ArrayList<>();
        for (Map<String, Object> row : session.queryAll(COLUMNS, context)) {
            CatalogObject column = column(row);
            children.add(column);
            columnsOf.computeIfAbsent(column.parent(), k -> new ArrayList<>()).add(text(row, "q") + " " + definition(row));
        }
        // A missing table is created with its constraints and indexes: they follow its CREATE TABLE.
        Map<String, List<String>> afterCreate = new LinkedHashMap<>();
        for (Map<String, Object> row : session.queryAll(CONSTRAINTS, context)) {
            String table = CatalogObject.key("table", text(row, "schema"), text(row, "table"));
            String alter = "ALTER TABLE " + text(row, "qtable");
            List<String> create = List.of(alter + " ADD CONSTRAINT " + text(row, "q") + " " + text(row, "definition"));
            children.add(new CatalogObject("constraint", text(row, "schema"), text(row, "table") + "." + text(row, "name"), table,
                    Weight.BEHAVIOUR, Map.of("definition", text(row, "definition")), create, Map.of(),
                    List.of(alter + " DROP CONSTRAINT " + text(row, "q"))));
            afterCreate.computeIfAbsent(table, k -> new ArrayList<>()).addAll(create);
        }
        for (Map<String, Object> row : session.queryAll(INDEXES, context)) {
            String table = CatalogObject.key("table", text(row, "schema"), text(row, "table"));
            String definition = text(row, "definition");
            // On a live table an index is built and dropped CONCURRENTLY: no lock that blocks writes.
            boolean concurrent = Boolean.TRUE.equals(row.get("concurrent"));
            String create = concurrent ? definition.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY ") : definition;
            children.add(new CatalogObject("index", text(row, "schema"), text(row, "name"), table, Weight.BEHAVIOUR,
                    Map.of("definition", definition), List.of(create), Map.of(),
                    List.of("DROP INDEX " + (concurrent ? "CONCURRENTLY " : "") + text(row, "q"))));
            afterCreate.computeIfAbsent(table, k -> new ArrayList<>()).add(definition);
        }
        for (Map<String, Object> row : session.queryAll(TABLES, context)) {
            String key = CatalogObject.key("table", text(row, "schema"), text(row, "name"));
            boolean unlogged = "u".equals(text(row, "persistence"));
            List<String> create = new ArrayList<>();
            create.add("CREATE " + (unlogged ? "UNLOGGED " : "") + "TABLE " + text(row, "q") + " ("
                    + String.join(", ", columnsOf.getOrDefault(key, List.of())) + ")" + text(row, "partition"));
            create.addAll(afterCreate.getOrDefault(key, List.of()));
            String alter = "ALTER TABLE " + text(row, "q");
            objects.add(new CatalogObject("table", text(row, "schema"), text(row, "name"), null, Weight.BEHAVIOUR,
                    Map.of("persistence", unlogged ? "unlogged" : "logged"), create,
                    Map.of("persistence", List.of(alter + (unlogged ? " SET UNLOGGED" : " SET LOGGED"))), List.of("DROP TABLE " + text(row, "q"))));
        }
        objects.addAll(children);
    }

    private static CatalogObject column(Map<String, Object> row) {
        String alter = "ALTER TABLE " + text(row, "qtable") + " ALTER COLUMN " + text(row, "q");
        String type = text(row, "type");
        boolean notNull = Boolean.TRUE.equals(row.get("notnull"));
        String defaultText = defaultClause(row);
        Map<String, List<String>> alters = new TreeMap<>();
        alters.put("type", List.of(alter + " TYPE " + type + " USING " + text(row, "q") + "::" + type));
        alters.put("nullable", List.of(alter + (notNull ? " SET NOT NULL" : " DROP NOT NULL")));
        // A generated or identity column is not a default that can be set: it is aligned by drop and add.
        if (text(row, "generated").isEmpty() && text(row, "identity").isEmpty()) {
            alters.put("default", List.of(row.get("default") == null ? alter + " DROP DEFAULT" : alter + " SET DEFAULT " + text(row, "default")));
        }
        String table = text(row, "qtable");
        return new CatalogObject("column", text(row, "schema"), text(row, "table") + "." + text(row, "name"),
                CatalogObject.key("table", text(row, "schema"), text(row, "table")), Weight.BEHAVIOUR,
                Map.of("type", type, "nullable", notNull ? "NOT NULL" : "NULL", "default", defaultText.isEmpty() ? "(none)" : defaultText.strip()),
                List.of("ALTER TABLE " + table + " ADD COLUMN " + text(row, "q") + " " + definition(row)), alters,
                List.of("ALTER TABLE " + table + " DROP COLUMN " + text(row, "q")));
    }

    /** The column's type, default (or generation) and nullability, as in CREATE TABLE and ADD COLUMN. */
    private static String definition(Map<String, Object> row) {
        return text(row, "type") + defaultClause(row) + (Boolean.TRUE.equals(row.get("notnull")) ? " NOT NULL" : "");
    }

    private static String defaultClause(Map<String, Object> row) {
        String identity = text(row, "identity");
        if (!identity.isEmpty()) {
            return " GENERATED " + ("a".equals(identity) ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY";
        }
        if (row.get("default") == null) {
            return "";
        }
        return "s".equals(text(row, "generated")) ? " GENERATED ALWAYS AS (" + text(row, "default") + ") STORED" : " DEFAULT " + text(row, "default");
    }

    private static void roles(List<Map<String, Object>> rows, List<CatalogObject> objects) {
        for (Map<String, Object> row : rows) {
            Map<String, String> attributes = new TreeMap<>();
            attributes.put("superuser", flag(row, "rolsuper", "SUPERUSER"));
            attributes.put("inherit", flag(row, "rolinherit", "INHERIT"));
            attributes.put("createrole", flag(row, "rolcreaterole", "CREATEROLE"));
            attributes.put("createdb", flag(row, "rolcreatedb", "CREATEDB"));
            attributes.put("login", flag(row, "rolcanlogin", "LOGIN"));
            attributes.put("replication", flag(row, "rolreplication", "REPLICATION"));
            attributes.put("bypassrls", flag(row, "rolbypassrls", "BYPASSRLS"));
            attributes.put("connection limit", "CONNECTION LIMIT " + text(row, "rolconnlimit"));
            String q = text(row, "q");
            Map<String, List<String>> alter = new TreeMap<>();
            attributes.forEach((name, value) -> alter.put(name, List.of("ALTER ROLE " + q + " " + value)));
            // No password: whoever owns passwords (the DBA, Vault) sets it.
            objects.add(new CatalogObject("role", null, text(row, "name"), null, Weight.BEHAVIOUR, attributes,
                    List.of("CREATE ROLE " + q + " " + String.join(" ", attributes.values())), alter, List.of("DROP ROLE " + q)));
        }
    }

    private static String flag(Map<String, Object> row, String column, String keyword) {
        return Boolean.TRUE.equals(row.get(column)) ? keyword : "NO" + keyword;
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }
}
