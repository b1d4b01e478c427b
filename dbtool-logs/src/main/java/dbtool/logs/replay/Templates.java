package dbtool.logs.replay;

import dbtool.logs.analysis.Printable;
import dbtool.logs.mining.Masker;

/** A statement's template: its literals masked by the log miner's {@link Masker}, then shown as log text is ({@link Printable}). */
final class Templates {

    private Templates() {
    }

    static String of(String sql) {
        return Printable.of(Masker.masked(sql), 300);
    }
}
