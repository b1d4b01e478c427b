package dbtool.core;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything dbtool reads from the process environment, and the one place that knows the
 * differences between operating systems. Tests build their own instead of touching the real one.
 *
 * @param variables  environment variables
 * @param userHome   the user's home directory
 * @param osName     {@code os.name}
 * @param bundleHome the unpacked bundle (the launcher passes {@code -Ddbtool.home}); may be null
 *                   when running from an IDE or tests
 */
public record Environment(Map<String, String> variables, Path userHome, String osName, Path bundleHome) {

    public Environment {
        variables = Map.copyOf(variables);
    }

    /** The real environment of this process. */
    public static Environment system() {
        String home = System.getProperty("dbtool.home");
        String os = System.getProperty("os.name", "");
        // On POSIX systems $HOME wins over the password database (which is what user.home reads),
        // as it does for every other command-line tool.
        String userHome = System.getenv("HOME");
        if (userHome == null || userHome.isBlank() || os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            userHome = System.getProperty("user.home");
        }
        return new Environment(System.getenv(), Path.of(userHome), os, home == null || home.isBlank() ? null : Path.of(home));
    }

    public Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public boolean isWindows() {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * dbtool's configuration directory: {@code %APPDATA%\dbtool} on Windows,
     * {@code $XDG_CONFIG_HOME/dbtool} (default {@code ~/.config/dbtool}) elsewhere.
     */
    public Path configDir() {
        if (isWindows()) {
            return get("APPDATA").map(Path::of).orElse(userHome.resolve("AppData").resolve("Roaming")).resolve("dbtool");
        }
        return get("XDG_CONFIG_HOME").map(Path::of).orElse(userHome.resolve(".config")).resolve("dbtool");
    }

    /**
     * dbtool's data directory, for state it keeps between runs (the serve state store):
     * {@code %LOCALAPPDATA%\dbtool} on Windows (machine-local, not roamed: a database file has no place
     * in a roaming profile), {@code $XDG_DATA_HOME/dbtool} (default {@code ~/.local/share/dbtool}) elsewhere.
     * Not created here: whoever writes the first file creates it.
     */
    public Path dataDir() {
        if (isWindows()) {
            return get("LOCALAPPDATA").map(Path::of).orElse(userHome.resolve("AppData").resolve("Local")).resolve("dbtool");
        }
        return get("XDG_DATA_HOME").map(Path::of).orElse(userHome.resolve(".local").resolve("share")).resolve("dbtool");
    }

    /** The configuration file: {@code $DBTOOL_CONFIG}, else {@code config.json} in {@link #configDir()}. */
    public Path configFile() {
        return get("DBTOOL_CONFIG").map(Path::of).orElse(configDir().resolve("config.json"));
    }

    /** Whether colour is allowed at all (https://no-color.org). */
    public boolean colorAllowed() {
        return get("NO_COLOR").isEmpty() && !"dumb".equals(variables.get("TERM"));
    }
}
