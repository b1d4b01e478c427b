package dbtool.plugin.snowflake;

import java.util.Locale;
import java.util.function.Function;

/**
 * What the plugin may know about the machine it runs on: environment variables and whether a
 * person could use a web browser here (for the {@code externalbrowser} login).
 *
 * @param environment  reads an environment variable, null when unset
 * @param osName       the {@code os.name} system property
 * @param awtAvailable whether the java.desktop module is in the runtime: the driver opens the
 *                     browser through java.awt.Desktop, and dbtool's jlink runtime leaves it out
 */
public record LocalHost(Function<String, String> environment, String osName, boolean awtAvailable) {

    public static LocalHost current() {
        return new LocalHost(System::getenv, System.getProperty("os.name", ""),
                ModuleLayer.boot().findModule("java.desktop").isPresent());
    }

    public String env(String name) {
        String value = environment.apply(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * Whether a browser can be opened for the user: on Linux and other Unix systems only with an X11
     * or Wayland display (a jump host reached over SSH has neither); Windows and macOS sessions
     * are desktops unless they are SSH sessions.
     */
    public boolean desktop() {
        String os = osName.toLowerCase(Locale.ROOT);
        if (env("SSH_CONNECTION") != null && env("DISPLAY") == null) {
            return false;
        }
        if (os.startsWith("windows") || os.startsWith("mac")) {
            return true;
        }
        return env("DISPLAY") != null || env("WAYLAND_DISPLAY") != null;
    }
}
