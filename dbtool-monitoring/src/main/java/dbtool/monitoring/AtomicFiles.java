package dbtool.monitoring;

import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes generated files so that nothing is ever half-written: each file goes to a temporary file beside it
 * and is moved over the old one in one step, so a reader (Prometheus reloading its rules, Grafana's file
 * provisioning) sees the old file or the new one, never a part. Several files are all written to temporary
 * files first: when one cannot be written, none is moved.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes every file (path to its text); exit 73 with one line when a folder or file cannot be written. */
    public static void write(Map<Path, String> files, String option) {
        List<Path[]> staged = new ArrayList<>();
        try {
            for (Map.Entry<Path, String> file : files.entrySet()) {
                Path target = file.getKey().toAbsolutePath();
                Path folder = target.getParent();
                if (Files.isDirectory(target)) {
                    throw new DbtoolException(ExitCodes.CANT_CREATE, option + " " + file.getKey() + ": is a folder, expected a file");
                }
                Files.createDirectories(folder);
                Path temporary = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
                staged.add(new Path[] {temporary, target});
                Files.writeString(temporary, file.getValue(), StandardCharsets.UTF_8);
            }
            for (Path[] pair : staged) {
                move(pair[0], pair[1]);
            }
            staged.clear();
        } catch (IOException e) {
            throw new DbtoolException(ExitCodes.CANT_CREATE, option + " " + where(e, files) + ": cannot write: " + reason(e));
        } finally {
            for (Path[] pair : staged) {
                try {
                    Files.deleteIfExists(pair[0]);
                } catch (IOException ignored) {
                    // a temporary file left in a folder we could not write to anyway
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String where(IOException e, Map<Path, String> files) {
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            return fs.getFile();
        }
        return files.keySet().iterator().next().toString();
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such folder";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ");
    }
}
