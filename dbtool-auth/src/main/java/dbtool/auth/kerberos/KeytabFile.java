package dbtool.auth.kerberos;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The principal a keytab is for (its first entry), which the JDK's KeyTab class cannot list.
 * Keys are skipped, never kept.
 */
final class KeytabFile {

    private KeytabFile() {
    }

    static String firstPrincipal(Path file) throws IOException {
        try (InputStream stream = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(stream);
            int version = in.readUnsignedShort();
            if (version != 0x0501 && version != 0x0502) {
                throw new IOException("not a Kerberos keytab");
            }
            while (true) {
                int size = in.readInt();
                if (size < 0) { // a deleted entry
                    in.skipNBytes(-size);
                    continue;
                }
                int count = in.readUnsignedShort();
                if (version == 0x0501) {
                    count--;
                }
                String realm = text(in);
                StringBuilder name = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    name.append(i == 0 ? "" : "/").append(text(in));
                }
                return name + "@" + realm;
            }
        }
    }

    private static String text(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8);
    }
}
