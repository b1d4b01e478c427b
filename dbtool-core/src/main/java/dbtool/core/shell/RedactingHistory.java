package dbtool.core.shell;

import dbtool.core.run.TargetUrls;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * Shell history that never stores a password: URLs typed with credentials are kept with the
 * password replaced by {@code ****}.
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
        return Arrays.stream(line.split(" ", -1)).map(TargetUrls::redact).collect(Collectors.joining(" "));
    }
}
