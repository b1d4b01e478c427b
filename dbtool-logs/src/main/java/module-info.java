/**
 * {@code dbtool logs}: reads the engines' server logs, mines their lines into templates, and turns
 * the patterns into findings with causes (category {@code logs}). {@code dbtool replay} captures the
 * sessions of a PostgreSQL log with the same readers, replays them against another server, and
 * reports per template with the same miner's masking. A feature module beside core on the boot
 * module path: it provides {@link dbtool.core.cli.Command}s and exports nothing.
 */
module dbtool.logs {
    requires dbtool.core;
    requires dbtool.serve;
    requires java.sql;
    requires org.apache.commons.cli;
    requires org.apache.commons.csv;
    requires com.google.gson;

    provides dbtool.core.cli.Command with dbtool.logs.LogsCommand, dbtool.logs.ReplayCommand;
    provides dbtool.core.run.CheckContributor with dbtool.logs.ServerLogCheck.Contributor;
}
