package dbtool.logs.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A log file read as it grows, like {@code tail -F}: at its end the read waits for more instead of
 * ending, so the entry readers above it run unchanged. It polls (portable, and a log written every
 * few milliseconds gains nothing from a native watcher) and survives both kinds of rotation:
 * a rename (a new file appears at the path: the old one is read to its end, then the new one from
 * its start) and copytruncate (the file shrinks: read again from its start). The stream ends when
 * {@link #stop()} is called or the reading thread is interrupted (Ctrl-C in the dbtool> shell).
 */
public final class FollowedFile extends InputStream {

    /** Told, one line each, when the file was rotated or truncated. */
    public interface Events {
        void rotated(String how);

        /** The reader has caught up with the file and is about to wait: the moment to refresh a view. */
        void idle();
    }

    private final Path path;
    private final Duration poll;
    private final Events events;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private FileChannel channel;
    private Object fileKey;

    public FollowedFile(Path path, Duration poll, Events events) throws IOException {
        this.path = path;
        this.poll = poll;
        this.events = events;
        open();
    }

    private void open() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.READ);
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    /** Ends the stream: the read waiting for more returns end of input. Safe from any thread (a signal handler). */
    public void stop() {
        stopped.countDown();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (stopped.getCount() > 0) {
            int n;
            try {
                n = channel.read(ByteBuffer.wrap(buffer, offset, length));
            } catch (ClosedByInterruptException e) {
                return -1; // interrupted mid-read (Ctrl-C in the shell): the channel is closed, the input ends; the flag stays set
            }
            if (n > 0) {
                return n;
            }
            // At the end of what is there: the path may name a new file by now, or this one may have shrunk.
            if (replaced()) {
                channel.close();
                open();
                events.rotated("rotated (a new file at the path); reading it from its start");
                continue;
            }
            if (channel.size() < channel.position()) {
                channel.position(0);
                events.rotated("truncated (copytruncate); reading it again from its start");
                continue;
            }
            events.idle();
            try {
                stopped.await(poll.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // kept for the caller; the stream ends here as Ctrl-C asked
                return -1;
            }
        }
        return -1;
    }

    /** True when the path now names another file than the one open (renamed away, then recreated). */
    private boolean replaced() throws IOException {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            // No file key (some file systems): compare nothing and rely on truncation alone.
            return key != null && !Objects.equals(key, fileKey);
        } catch (NoSuchFileException e) {
            return false; // renamed away and not yet recreated: keep the old one until the new one appears
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        channel.close();
    }
}
