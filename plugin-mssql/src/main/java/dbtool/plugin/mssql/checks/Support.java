package dbtool.plugin.mssql.checks;

import dbtool.plugin.mssql.ServerInfo;
import java.util.Optional;

/**
 * Which servers a check can read: SQL Server from a version and build on (2016 = 13.x at the
 * oldest), and whether Azure SQL Database exposes what it needs. Checks declare it; the one guard
 * in {@link SqlServerCheck} applies it before any statement runs.
 *
 * @param minMajor      oldest major version
 * @param minBuild      oldest build on that major version (0: any)
 * @param sinceText     how to say that version to a human, e.g. "2016 SP2"
 * @param azure         whether it runs on Azure SQL Database
 * @param azureReason   why not, when it does not (what Azure SQL Database does not expose)
 */
public record Support(int minMajor, int minBuild, String sinceText, boolean azure, String azureReason) {

    /** Every supported server, no lookup needed (the connection check relies on this: it must stage the login itself). */
    public static final Support EVERYWHERE = new Support(ServerInfo.OLDEST_SUPPORTED, 0, "2016", true, null);

    /** SQL Server 2016 to 2022 and Managed Instance, not Azure SQL Database. */
    static Support notOnAzureSqlDatabase(String reason) {
        return new Support(ServerInfo.OLDEST_SUPPORTED, 0, "2016", false, reason);
    }

    boolean needsServerInfo() {
        return !equals(EVERYWHERE);
    }

    /** Why the check cannot run on this server, or empty when it can (or when the server is unknown: then it tries). */
    public Optional<String> skipReason(ServerInfo server) {
        if (!server.known()) {
            return Optional.empty();
        }
        if (server.azureSqlDatabase()) {
            return azure ? Optional.empty() : Optional.of("Not available on Azure SQL Database: " + azureReason);
        }
        // Managed Instance (8) reads what a box does, on the current engine: no version to compare.
        if (!server.atLeast(minMajor, minBuild)) {
            return Optional.of("Needs SQL Server " + sinceText + " or later; this is " + server.describe());
        }
        return Optional.empty();
    }
}
