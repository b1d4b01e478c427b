package dbtool.spi;

/**
 * What {@code dbtool auth login} was asked for. Secrets never arrive here: a password comes from a
 * masked prompt or from the environment variable named by {@code passwordEnv}.
 *
 * @param method      the login method, one of {@link LoginHandler#methods()}
 * @param username    {@code --username}, or null for the method's default (e.g. the OS login name)
 * @param passwordEnv {@code --password-env}: the name of an environment variable holding the
 *                    password (or token), or null
 * @param mount       {@code --mount}: where the auth method is mounted, or null for the method's name
 * @param interactive whether a human is at a terminal, so a masked prompt is allowed
 */
public record LoginRequest(String method, String username, String passwordEnv, String mount, boolean interactive) {
}
