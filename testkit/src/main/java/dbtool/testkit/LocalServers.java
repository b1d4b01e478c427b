package dbtool.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the launchers of real servers for tests share (MariaDB, Prometheus, Alertmanager): a loopback port and a temp folder. */
public final class LocalServers {

    private LocalServers() {
    }

    /**
     * A loopback port free at the moment of asking, for a server about to be started on it.
     *
     * @return the port number
     * @throws IOException when no port can be bound
     */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Deletes a server's temp folder and everything in it, best effort: a folder left behind is harmless.
     *
     * @param directory the folder
     */
    public static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // this one stays behind; the others still go
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // already gone, or not walkable to the end: what is left stays behind, harmless
        }
    }
}
