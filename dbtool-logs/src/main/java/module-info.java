/**
 * {@code dbtool logs}: reads the engines' server logs, mines their lines into templates, and turns
 * the patterns into findings with causes (category {@code logs}). A feature module beside core on
 * the boot module path: it provides a {@link dbtool.core.cli.Command} and exports nothing.
 */
module dbtool.logs {
    requires dbtool.core;
    requires org.apache.commons.cli;
    requires org.apache.commons.csv;
    requires com.google.gson;

    provides dbtool.core.cli.Command with dbtool.logs.LogsCommand;
    provides dbtool.core.run.CheckContributor with dbtool.logs.ServerLogCheck.Contributor;
}
