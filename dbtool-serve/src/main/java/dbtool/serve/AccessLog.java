package dbtool.serve;

import dbtool.core.DbtoolException;
import dbtool.serve.http.HttpService;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/** {@code --access-log}: where the server's one JSON line per request goes. */
final class AccessLog {

    private AccessLog() {
    }

    static Consumer<String> open(String where, PrintStream stderr) {
        if (where.equals("off")) {
            return HttpService.NO_ACCESS_LOG;
        }
        if (where.equals("-")) {
            return line -> {
                synchronized (stderr) {
                    stderr.println(line);
                }
            };
        }
        Path file = Path.of(where);
        try {
            Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return line -> {
                synchronized (writer) {
                    try {
                        writer.write(line);
                        writer.write('\n');
                        writer.flush();
                    } catch (IOException e) {
                        // a full disk must not stop the server from answering; the next line retries
                    }
                }
            };
        } catch (IOException e) {
            throw DbtoolException.usage("--access-log " + where + ": cannot append to it (" + e.getClass().getSimpleName() + ")");
        }
    }
}
