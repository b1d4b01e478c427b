package dbtool.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of this repository that tests hold the code to: the docs pages, the command reference, the site's
 * navigation. Tests run with a module's folder as the working directory (Maven) or the repository's root
 * (an IDE), so the root is found by walking up to the file only the root has, mkdocs.yml.
 */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /**
     * The repository's root folder: the nearest folder at or above the working directory with mkdocs.yml.
     *
     * @return the root, absolute
     * @throws IllegalStateException when no folder above the working directory has mkdocs.yml
     */
    public static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mkdocs.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no mkdocs.yml at or above " + start + ": run the tests inside the repository");
    }

    /**
     * A file or folder under docs/.
     *
     * @param relative the path below docs/, e.g. {@code "serve.md"} or {@code "commands"}
     * @return the absolute path (which need not exist)
     */
    public static Path docs(String relative) {
        return root().resolve("docs").resolve(relative);
    }
}
