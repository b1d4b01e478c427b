package dbtool.plugin.mssql.checks;

import dbtool.toolkit.Values;
import java.util.List;
import java.util.Map;

/**
 * How far a database's files can still grow: a file 99% full that can autogrow onto a disk with room
 * is no emergency yet; one at its max_size, with growth off, or on a full volume is. Rows carry
 * size_mb, max_size_mb (-1 unlimited), growth_mb (0 off) and volume_free_mb (sys.dm_os_volume_stats).
 */
final class Autogrowth {

    /** No rows: the files could not be read (permissions, Azure SQL Database), so nothing is assumed. */
    static final long UNKNOWN = -1;

    private Autogrowth() {
    }

    /**
     * The most any one file can still grow, in MB (files may share a volume, so they are not added);
     * 0 when none can grow by even one increment.
     */
    static long headroomMb(List<Map<String, Object>> files) {
        if (files.isEmpty()) {
            return UNKNOWN;
        }
        long best = 0;
        for (Map<String, Object> file : files) {
            long growth = Values.longValue(file, "growth_mb");
            if (growth <= 0) {
                continue;
            }
            long room = Values.longValue(file, "volume_free_mb");
            long max = file.get("max_size_mb") == null ? -1 : Values.longValue(file, "max_size_mb");
            if (max >= 0) {
                room = Math.min(room, max - Values.longValue(file, "size_mb"));
            }
            if (room >= growth) {
                best = Math.max(best, room);
            }
        }
        return best;
    }

    /** A sentence for a finding's detail, empty when unknown. */
    static String describe(long headroomMb, String what) {
        if (headroomMb == UNKNOWN) {
            return "";
        }
        return headroomMb > 0 ? " " + what + " can still autogrow by up to " + headroomMb + " MB (max size and free disk space)."
                : " " + what + " cannot grow: autogrowth is off, the max size is reached or the disk is full.";
    }
}
