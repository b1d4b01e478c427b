/**
 * {@code dbtool top}: a live, full-screen view of what a database is doing (load, sessions, blocking
 * trees, plans), on any engine whose session offers {@link dbtool.spi.ActivityView}. A feature module
 * beside core on the boot module path: it provides a {@link dbtool.core.cli.Command} and exports nothing.
 */
module dbtool.top {
    requires dbtool.core;
    requires org.apache.commons.cli;
    requires com.google.gson;
    requires java.sql;
    requires org.jline.terminal;
    requires org.jline.reader;

    provides dbtool.core.cli.Command with dbtool.top.TopCommand;
}
