package dbtool.logs.read;

/** The readers that read one line at a time through a {@link LineSource} (all but csvlog). */
abstract class LineEntryReader implements EntryReader {

    protected final LineSource source;

    LineEntryReader(LineSource source) {
        this.source = source;
    }

    @Override
    public final long lines() {
        return source.lines();
    }
}
