package dbtool.logs.read;

import java.io.IOException;

/** Reads one log's entries in order; {@link #next()} returns null at the end. */
public interface EntryReader {

    LogEntry next() throws IOException;

    /** Physical lines read so far. */
    long lines();
}
