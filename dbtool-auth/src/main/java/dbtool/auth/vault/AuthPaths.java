package dbtool.auth.vault;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where the user's files are, by the same rules as dbtool's core: on POSIX systems {@code $HOME}
 * wins over {@code user.home} (as for every command-line tool, and so that tests with their own
 * HOME never touch the real one); dbtool's own folder is {@code $XDG_CONFIG_HOME/dbtool} (default
 * {@code ~/.config/dbtool}), or {@code %APPDATA%\dbtool} on Windows.
 */
record AuthPaths(Path home, Path configDir) {

    static AuthPaths of(Function<String, String> environment) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        String homeVariable = environment.apply("HOME");
        Path home = Path.of(windows || homeVariable == null || homeVariable.isBlank() ? System.getProperty("user.home") : homeVariable);
        Path configDir;
        if (windows) {
            String appData = environment.apply("APPDATA");
            configDir = (appData == null || appData.isBlank() ? home.resolve("AppData").resolve("Roaming") : Path.of(appData)).resolve("dbtool");
        } else {
            String xdg = environment.apply("XDG_CONFIG_HOME");
            configDir = (xdg == null || xdg.isBlank() ? home.resolve(".config") : Path.of(xdg)).resolve("dbtool");
        }
        return new AuthPaths(home, configDir);
    }

    /** The Vault CLI's token file, {@code ~/.vault-token}. */
    Path tokenFile() {
        return home.resolve(".vault-token");
    }
}
