package dbtool.core.run;

import dbtool.core.Environment;

/**
 * The service the {@code dbtool.tracing} module provides: core looks it up only when an OTLP endpoint is
 * configured, from the boot layer (a build, a test) or else from the bundle's {@code tracing/} folder
 * resolved into a layer of its own.
 */
public interface TracingProvider {

    /**
     * Sets up span export from the OpenTelemetry environment variables.
     *
     * @param environment the process's environment (endpoint, headers, service name, resource attributes)
     * @param toolVersion dbtool's version, for the resource's {@code service.version}
     * @throws IllegalArgumentException when a variable is malformed: a one-line message naming it, never
     *                                  a header's value (headers carry API keys)
     */
    Tracing open(Environment environment, String toolVersion);
}
