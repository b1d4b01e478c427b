package dbtool.testkit.tds;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * T-SQL that H2's MSSQLServer mode does not take, rewritten to what it does, for the {@link TdsBackingStore}:
 * SQL Server's session functions (DB_NAME(), SCHEMA_NAME(), SUSER_SNAME(), SERVERPROPERTY(...), @@VERSION) become
 * literals of the database the login opened, three-part names lose their database, table hints go, DROP INDEX ... ON loses its table, and
 * SCHEMA_NAME(id) and OBJECT_ID(name) become look-ups in the sys views {@link SqlServerCatalog} keeps.
 */
final class TsqlRewrites {

    private static final Pattern SERVERPROPERTY = Pattern.compile("(?i)SERVERPROPERTY\\s*\\(\\s*N?'(\\w+)'\\s*\\)");
    private static final Pattern SCHEMA_NAME_OF = Pattern.compile("(?i)\\bSCHEMA_NAME\\s*\\(\\s*([\\w.]+)\\s*\\)");
    private static final Pattern OBJECT_ID = Pattern.compile("(?i)\\bOBJECT_ID\\s*\\(\\s*N?'([^']*)'\\s*\\)");
    private static final Pattern DROP_INDEX_ON = Pattern.compile("(?i)\\bDROP\\s+INDEX\\s+(\\S+)\\s+ON\\s+\\S+");
    private static final Pattern NOLOCK = Pattern.compile("(?i)\\bWITH\\s*\\(\\s*NOLOCK\\s*\\)");
    private static final String PART = "(?:\\[[^\\]]+\\]|\\w+)";

    private final String database;
    private final String user;
    private final int spid;
    private final Pattern threePart;

    TsqlRewrites(String database, String user, int spid) {
        this.database = database;
        this.user = user;
        this.spid = spid;
        String db = Pattern.quote(database);
        this.threePart = Pattern.compile("(?i)(?:\\[" + db + "\\]|\\b" + db + ")\\.(" + PART + "\\." + PART + ")");
    }

    String apply(String sql) {
        String text = threePart.matcher(sql).replaceAll("$1");
        text = NOLOCK.matcher(text).replaceAll(" ");
        text = DROP_INDEX_ON.matcher(text).replaceAll("DROP INDEX $1");
        text = text.replaceAll("(?i)\\bDB_NAME\\s*\\(\\s*\\)", literal(database))
                .replaceAll("(?i)\\bSCHEMA_NAME\\s*\\(\\s*\\)", "'dbo'")
                .replaceAll("(?i)\\b(SUSER_SNAME|SUSER_NAME|ORIGINAL_LOGIN|USER_NAME)\\s*\\(\\s*\\)", literal(user))
                .replaceAll("(?i)\\bSYSTEM_USER\\b", literal(user))
                .replaceAll("(?i)\\b(GETDATE|SYSDATETIME)\\s*\\(\\s*\\)", "LOCALTIMESTAMP")
                .replaceAll("(?i)\\bGETUTCDATE\\s*\\(\\s*\\)", "CURRENT_TIMESTAMP")
                .replaceAll("(?i)@@VERSION\\b", Matcher.quoteReplacement("'Microsoft SQL Server 2019 (RTM-CU18) (KB5017593) - 15.0.4261.1 (X64)'"))
                .replaceAll("(?i)@@SPID\\b", Integer.toString(spid));
        text = SERVERPROPERTY.matcher(text).replaceAll(m -> Matcher.quoteReplacement(serverProperty(m.group(1))));
        text = SCHEMA_NAME_OF.matcher(text).replaceAll(m -> Matcher.quoteReplacement("(SELECT s_.name FROM sys.schemas s_ WHERE s_.schema_id = "
                + m.group(1) + ")"));
        text = OBJECT_ID.matcher(text).replaceAll(m -> Matcher.quoteReplacement(objectId(m.group(1))));
        return text;
    }

    private static String serverProperty(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "edition" -> "'Developer Edition (64-bit)'";
            case "engineedition" -> "3";
            case "productversion" -> "'15.0.4261.1'";
            case "productmajorversion" -> "15";
            case "servername", "machinename" -> "'SQLPROD01'";
            case "ishadrenabled", "isclustered" -> "0";
            default -> "NULL";
        };
    }

    /** OBJECT_ID(N'[dbo].[t]') as the id of the sys.objects row of that name (schema dbo when not given). */
    private static String objectId(String name) {
        String[] parts = name.replace("[", "").replace("]", "").split("\\.");
        String object = parts[parts.length - 1].replace("'", "''");
        String schema = parts.length > 1 ? parts[parts.length - 2].replace("'", "''") : "dbo";
        return "(SELECT o_.object_id FROM sys.objects o_ JOIN sys.schemas s_ ON s_.schema_id = o_.schema_id WHERE o_.name = '" + object
                + "' AND s_.name = '" + schema + "')";
    }

    private static String literal(String value) {
        return Matcher.quoteReplacement("'" + (value == null ? "" : value.replace("'", "''")) + "'");
    }
}
