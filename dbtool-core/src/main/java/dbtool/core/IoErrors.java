package dbtool.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileSystemLoopException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in words for the message after the file's name: "permission
 * denied", not "AccessDeniedException /x". The file's name is the caller's to give; the
 * operating system's own reason is kept where Java has one ("No space left on device").
 */
public final class IoErrors {

    private IoErrors() {
    }

    public static String describe(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException missing) {
            Path parent = parent(missing.getFile());
            return parent != null && !Files.isDirectory(parent) ? "the folder " + parent + " does not exist" : "no such file";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "it is a folder that is not empty";
        }
        if (e instanceof FileSystemLoopException) {
            return "its symbolic links form a loop";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return lowerFirst(fs.getReason());
        }
        if (e instanceof InvalidPathException invalid) {
            return "not a valid path (" + invalid.getReason() + ")";
        }
        if (e instanceof IOException && e.getMessage() != null) {
            // java.io reports "NAME (Reason)": the reason is what is new to the reader.
            String message = e.getMessage();
            int open = message.lastIndexOf(" (");
            return open >= 0 && message.endsWith(")") ? lowerFirst(message.substring(open + 2, message.length() - 1)) : message;
        }
        return e.getMessage() == null ? "failed" : e.getMessage();
    }

    private static Path parent(String file) {
        try {
            return file == null ? null : Path.of(file).toAbsolutePath().getParent();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String lowerFirst(String text) {
        // "Is a directory" reads better after a colon as "is a directory"; an acronym stays as it is.
        return text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))
                ? Character.toLowerCase(text.charAt(0)) + text.substring(1) : text;
    }
}
