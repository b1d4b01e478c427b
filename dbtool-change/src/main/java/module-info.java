/**
 * {@code dbtool change} and {@code dbtool diff}: migrations (Flyway's convention and history table) with a measured dry
 * run on a clone, applied behind a restore point, a lock timeout and an advisory lock, audited in
 * the run log and the state store, and rolled back by an undo script or the restore point; and environment
 * parity between two targets of one engine, from the catalogs their plugins offer ({@link dbtool.spi.CatalogSource}). A
 * feature module beside core on the boot module path: it provides a {@link dbtool.core.cli.Command}
 * and exports nothing.
 *
 * <p>Flyway is not a module here: it is loaded from the bundle's {@code change/} folder into a class
 * loader of its own and called through its public API by reflection, with only JDK types crossing
 * (docs/decisions/0010-flyway-in-its-own-class-loader.md). pgjdbc and the throwaway clone cluster
 * come from the PostgreSQL plugin's layer.
 */
module dbtool.change {
    requires dbtool.core;
    requires dbtool.serve;
    requires org.apache.commons.cli;
    requires com.google.gson;
    requires java.sql;
    requires java.logging;

    // --format json writes the dry run's records with Gson, which reads them by reflection
    opens dbtool.change.report to com.google.gson;

    provides dbtool.core.cli.Command with dbtool.change.ChangeCommand, dbtool.change.ConfigCommand, dbtool.change.diff.DiffCommand;
}
