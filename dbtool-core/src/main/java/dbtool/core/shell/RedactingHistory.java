package dbtool.core.shell;

import dbtool.core.cli.CommandLineInterface;
import dbtool.core.run.TargetUrls;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * Shell history that never stores a password: URLs typed with credentials are kept with the
 * password replaced by {@code ****}, and so is the value of {@code --password-env}.
 */
final class RedactingHistory extends DefaultHistory {

    @Override
    public void add(Instant time, String line) {
        super.add(time, redact(line));
    }

    static String redact(String line) {
        if (!line.contains("://") && !line.toLowerCase().contains("password")) {
            return line;
        }
        String[] words = line.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            if (words[i].startsWith(CommandLineInterface.SECRET_NAMING_OPTION + "=")) {
                words[i] = CommandLineInterface.SECRET_NAMING_OPTION + "=****";
            } else if (words[i].equals(CommandLineInterface.SECRET_NAMING_OPTION)) {
                // The next word is the value (it should name a variable; it may be the password itself).
                int next = i + 1;
                while (next < words.length && words[next].isEmpty()) {
                    next++;
                }
                if (next < words.length) {
                    words[next] = "****";
                }
                i = next;
            } else {
                words[i] = TargetUrls.redact(words[i]);
            }
        }
        return Arrays.stream(words).collect(Collectors.joining(" "));
    }
}
