package dbtool.testkit.tds;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The few sys.* catalog views a client such as Flyway reads, as H2 views over H2's own
 * INFORMATION_SCHEMA (schemas, tables and views with stable ids) and empty ones for what the
 * backing store never has (assemblies, user-defined types, partition functions, extended properties...).
 */
final class SqlServerCatalog {

    private SqlServerCatalog() {
    }

    static void create(Statement s) throws SQLException {
        s.execute("CREATE SCHEMA IF NOT EXISTS sys");
        s.execute("CREATE VIEW sys.schemas AS SELECT SCHEMA_NAME AS name, CAST(ROW_NUMBER() OVER (ORDER BY SCHEMA_NAME) AS INT) AS schema_id,"
                + " 1 AS principal_id FROM INFORMATION_SCHEMA.SCHEMATA");
        s.execute("CREATE VIEW sys.objects AS SELECT CAST(ROW_NUMBER() OVER (ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME) AS INT) AS object_id,"
                + " t.TABLE_NAME AS name, sch.schema_id AS schema_id, CASE WHEN t.TABLE_TYPE = 'VIEW' THEN 'V' ELSE 'U' END AS type,"
                + " CASE WHEN t.TABLE_TYPE = 'VIEW' THEN 'VIEW' ELSE 'USER_TABLE' END AS type_desc, 0 AS parent_object_id,"
                + " CAST(0 AS BIT) AS is_ms_shipped, LOCALTIMESTAMP AS create_date, LOCALTIMESTAMP AS modify_date"
                + " FROM INFORMATION_SCHEMA.TABLES t JOIN sys.schemas sch ON sch.name = t.TABLE_SCHEMA"
                + " WHERE t.TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'sys')");
        s.execute("CREATE VIEW sys.tables AS SELECT * FROM sys.objects WHERE type = 'U'");
        s.execute("CREATE VIEW sys.views AS SELECT * FROM sys.objects WHERE type = 'V'");
        s.execute("CREATE TABLE sys.databases (name VARCHAR(128), database_id INT)");
        s.execute("CREATE TABLE sys.sysusers (uid INT, name VARCHAR(128), issqluser BIT, islogin BIT)");
        s.execute("INSERT INTO sys.sysusers VALUES (1, 'dbo', 1, 1)");
        s.execute("CREATE TABLE sys.extended_properties (class INT, major_id INT, minor_id INT, name VARCHAR(128), \"value\" VARCHAR(4000))");
        s.execute("CREATE TABLE sys.types (name VARCHAR(128), schema_id INT, is_user_defined BIT)");
        s.execute("CREATE TABLE sys.assemblies (name VARCHAR(128), is_user_defined BIT)");
        s.execute("CREATE TABLE sys.partition_functions (name VARCHAR(128))");
        s.execute("CREATE TABLE sys.partition_schemes (name VARCHAR(128))");
        s.execute("CREATE TABLE sys.xml_schema_collections (name VARCHAR(128), schema_id INT)");
        s.execute("CREATE TABLE sys.triggers (name VARCHAR(128), is_ms_shipped BIT, parent_id INT, parent_class_desc VARCHAR(60))");
    }

    /** The database the backing store stands for, in sys.databases. */
    static void database(Statement s, String name) throws SQLException {
        s.execute("INSERT INTO sys.databases VALUES ('" + name.replace("'", "''") + "', 5)");
    }
}
