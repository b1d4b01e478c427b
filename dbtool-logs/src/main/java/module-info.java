/**
 * {@code dbtool logs}: reads the engines' server logs, mines their lines into templates, and turns
 * the patterns into findings with causes (category {@code logs}). A feature module beside core on
 * the boot module path.
 */
module dbtool.logs {
    requires dbtool.core;
}
