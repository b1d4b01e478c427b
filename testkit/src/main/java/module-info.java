/**
 * Real components for dbtool's tests, used in test scope only: running the built bundle as a
 * user would, free loopback ports, temporary folders. (Throwaway PostgreSQL clusters live in the
 * PostgreSQL plugin, whose {@code dbtool demo} needs them at run time.)
 */
module dbtool.testkit {
    exports dbtool.testkit;
}
