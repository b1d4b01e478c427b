package dbtool.plugin.mssql;

import java.util.Map;

/**
 * What the session learns about the server once, right after login: the version and edition that
 * decide which checks can run (SQL Server 2016 = 13.x to 2022 = 16.x, Azure SQL Database and Managed Instance).
 *
 * @param majorVersion  13 for 2016 ... 16 for 2022; 12 on Azure SQL Database and Managed Instance (meaningless there); 0 when unknown
 * @param build         the third part of ProductVersion (13.0.5026.0 is 2016 SP2)
 * @param engineEdition SERVERPROPERTY('EngineEdition'): 5 is Azure SQL Database, 8 Managed Instance
 * @param version       ProductVersion as the server reports it
 * @param edition       Edition, e.g. "Enterprise Edition (64-bit)"
 */
public record ServerInfo(int majorVersion, int build, int engineEdition, String version, String edition) {

    /** Read once per session. SERVERPROPERTY works on every version and on Azure SQL Database. */
    public static final String SQL = """
            SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(64)) AS version,
                   CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition,
                   CAST(SERVERPROPERTY('EngineEdition') AS int) AS engine_edition
            """;

    /** When the properties could not be read: checks then run and report their own errors. */
    public static final ServerInfo UNKNOWN = new ServerInfo(0, 0, 0, "", "");

    /** The oldest major version dbtool's statements are written for (SQL Server 2016). */
    public static final int OLDEST_SUPPORTED = 13;

    public static ServerInfo of(Map<String, Object> row) {
        String version = row.get("version") == null ? "" : row.get("version").toString().trim();
        String[] parts = version.split("\\.");
        int major = parts.length > 0 ? parse(parts[0]) : 0;
        int build = parts.length > 2 ? parse(parts[2]) : 0;
        int engineEdition = row.get("engine_edition") instanceof Number n ? n.intValue() : 0;
        String edition = row.get("edition") == null ? "" : row.get("edition").toString().trim();
        return new ServerInfo(major, build, engineEdition, version, edition);
    }

    public boolean known() {
        return majorVersion > 0;
    }

    public boolean azureSqlDatabase() {
        return engineEdition == 5;
    }

    public boolean managedInstance() {
        return engineEdition == 8;
    }

    /**
     * Azure SQL Database (5) and Managed Instance (8) run the current engine whatever ProductVersion
     * says: both report 12.0.2000.8, which is no version to compare against.
     */
    public boolean evergreen() {
        return azureSqlDatabase() || managedInstance();
    }

    /** At least this major version, and on that major version at least this build; always true on Azure SQL DB and MI. */
    public boolean atLeast(int major, int minimumBuild) {
        return evergreen() || majorVersion > major || majorVersion == major && build >= minimumBuild;
    }

    /** "SQL Server 2019 (15.0.4298.1)" or "Azure SQL Database (12.0.2000.8)" or "Azure SQL Managed Instance (12.0.2000.8)". */
    public String describe() {
        if (azureSqlDatabase()) {
            return "Azure SQL Database (" + version + ")";
        }
        if (managedInstance()) {
            return "Azure SQL Managed Instance (" + version + ")";
        }
        return "SQL Server " + releaseName(majorVersion) + " (" + version + ")";
    }

    static String releaseName(int major) {
        return switch (major) {
            case 11 -> "2012";
            case 12 -> "2014";
            case 13 -> "2016";
            case 14 -> "2017";
            case 15 -> "2019";
            case 16 -> "2022";
            case 17 -> "2025";
            default -> major + ".x";
        };
    }

    private static int parse(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
