package dbtool.spi;

import java.util.List;
import java.util.Set;

/**
 * An engine plugin: the service a plugin module provides with
 * {@code provides dbtool.spi.EnginePlugin with ...}.
 *
 * <p>Instances are created once per process through {@link java.util.ServiceLoader}; the
 * constructor must be cheap and must not touch the network.
 *
 * <p>JDBC plugins take their {@link java.sql.Driver} from their own module layer
 * ({@code ServiceLoader.load(getClass().getModule().getLayer(), Driver.class)}) and call
 * {@code connect} on it: {@code DriverManager} does not see drivers in plugin layers.
 */
public interface EnginePlugin {

    /**
     * The engine id, e.g. {@code postgresql}; also the name used with {@code dbtool checks ENGINE}.
     *
     * @return the id, lower case
     */
    String id();

    /**
     * A name for humans, e.g. {@code PostgreSQL}.
     *
     * @return the display name
     */
    String displayName();

    /**
     * URL schemes this plugin handles, e.g. {@code postgresql} and {@code postgres}.
     *
     * @return the schemes, lower case
     */
    Set<String> schemes();

    /**
     * The port used when a URL names none.
     *
     * @return the engine's default port
     */
    int defaultPort();

    /**
     * The checks, in the order they should run within a category.
     *
     * @return the checks; may be empty
     */
    List<Check> checks();

    /**
     * Opens the one session used for a troubleshoot.
     *
     * @param target      what to connect to
     * @param credentials what the credential chain found; {@link Credentials#none()} when nothing
     * @param settings    safety settings to apply to the session
     * @return the session, which connects when its first check needs it or at once
     * @throws Exception with a one-line message (no secrets) when the target cannot be handled at
     *                   all, e.g. an invalid URL for this engine
     */
    EngineSession open(Target target, Credentials credentials, SessionSettings settings) throws Exception;

    /**
     * The least-privilege role the checks need: the statements that give an existing login or role
     * exactly what {@link #checks()} read, each with its reason. {@code dbtool grants ENGINE} prints
     * them; deploy/ (Ansible, Terraform for Vault) renders them. Creating the login itself is left to
     * whoever owns passwords (the DBA, or Vault's database secrets engine).
     *
     * @return the statements in the order they should run; empty when the plugin declares none
     */
    default List<Grant> grants() {
        return List.of();
    }
}
