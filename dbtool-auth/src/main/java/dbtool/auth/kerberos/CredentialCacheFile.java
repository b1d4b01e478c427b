package dbtool.auth.kerberos;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a FILE credential cache (MIT format, versions 1 to 4) says: its default principal and,
 * per credential, the service and the validity. Read here rather than with Kerby's reader because
 * only principal names and times are needed, and Kerby's jars split packages between them, so
 * they cannot be modules in the plugins/auth layer. Keys and tickets are skipped, never kept.
 */
public record CredentialCacheFile(String principal, List<Entry> entries) {

    /** One credential: {@code server} like {@code krbtgt/EXAMPLE.COM@EXAMPLE.COM}. */
    public record Entry(String client, String server, Instant start, Instant end) {
        boolean isTicketGrantingTicket() {
            return server.startsWith("krbtgt/");
        }
    }

    /** The ticket-granting ticket for the default principal's realm, if the cache has one. */
    public Optional<Entry> ticketGrantingTicket() {
        String realm = principal.substring(principal.lastIndexOf('@') + 1);
        return entries.stream().filter(e -> e.server().equals("krbtgt/" + realm + "@" + realm))
                .findFirst().or(() -> entries.stream().filter(Entry::isTicketGrantingTicket).findFirst());
    }

    public static CredentialCacheFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    static CredentialCacheFile read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int version = in.readUnsignedShort();
        if (version < 0x0501 || version > 0x0504) {
            throw new IOException("not a Kerberos credential cache (format " + Integer.toHexString(version) + ")");
        }
        if (version == 0x0504) {
            in.skipNBytes(in.readUnsignedShort()); // header tags (KDC time offset)
        }
        String principal = principal(in, version);
        List<Entry> entries = new ArrayList<>();
        while (true) {
            String client;
            try {
                client = principal(in, version);
            } catch (EOFException end) {
                break;
            }
            String server = principal(in, version);
            in.skipNBytes(2); // key type
            if (version == 0x0503) {
                in.skipNBytes(2);
            }
            skipData(in); // the session key: never read
            in.skipNBytes(4); // auth time
            Instant start = Instant.ofEpochSecond(Integer.toUnsignedLong(in.readInt()));
            Instant end = Instant.ofEpochSecond(Integer.toUnsignedLong(in.readInt()));
            in.skipNBytes(4 + 1 + 4); // renew till, is_skey, ticket flags
            for (int i = in.readInt(); i > 0; i--) { // addresses
                in.skipNBytes(2);
                skipData(in);
            }
            for (int i = in.readInt(); i > 0; i--) { // authorization data
                in.skipNBytes(2);
                skipData(in);
            }
            skipData(in); // ticket
            skipData(in); // second ticket
            if (!server.contains("X-CACHECONF:")) { // MIT's configuration entries are no tickets
                entries.add(new Entry(client, server, start, end));
            }
        }
        return new CredentialCacheFile(principal, List.copyOf(entries));
    }

    private static String principal(DataInputStream in, int version) throws IOException {
        if (version != 0x0501) {
            in.readInt(); // name type
        }
        int count = in.readInt();
        if (version == 0x0501) {
            count--; // version 1 counts the realm as a component
        }
        String realm = text(in);
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < count; i++) {
            name.append(i == 0 ? "" : "/").append(text(in));
        }
        return name + "@" + realm;
    }

    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 65_536) {
            throw new IOException("damaged Kerberos credential cache");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void skipData(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("damaged Kerberos credential cache");
        }
        in.skipNBytes(length);
    }
}
