package dbtool.logs.read;

import java.io.BufferedReader;

/** The readers that read one line at a time through a {@link LineSource} (all but csvlog). */
abstract class LineEntryReader implements EntryReader {

    protected final LineSource source;

    LineEntryReader(BufferedReader reader, LineSource.Warnings warnings) {
        this.source = new LineSource(reader, warnings);
    }

    @Override
    public final long lines() {
        return source.lines();
    }
}
