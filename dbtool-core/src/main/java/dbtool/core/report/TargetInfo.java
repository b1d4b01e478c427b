package dbtool.core.report;

/**
 * The {@code target} object of the report: never carries credentials.
 *
 * @param port the port, or null when unknown
 */
public record TargetInfo(String name, String engine, String host, Integer port, String database) {
}
