package dbtool.logs.read;

import java.io.IOException;
import java.util.Map;

/** {@code --layout message}: every non-empty line is one bare message, with no header to read. */
public final class MessageReader extends LineEntryReader {


    public MessageReader(LineSource source) {
        super(source);
    }

    @Override
    public LogEntry next() throws IOException {
        String line;
        while ((line = source.next()) != null) {
            if (!line.isBlank()) {
                return new LogEntry(source.lines(), null, null, null, line, Map.of());
            }
        }
        return null;
    }
}
