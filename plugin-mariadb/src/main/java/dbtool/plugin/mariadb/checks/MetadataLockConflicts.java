package dbtool.plugin.mariadb.checks;

import java.util.List;
import java.util.Locale;

/**
 * Which metadata lock waits for which, after the server's own compatibility tables (sql/mdl.cc in
 * MySQL 8 and MariaDB 10.5+): a pending request waits for every granted lock on the same object it
 * is incompatible with, and for pending requests of higher priority (a waiting ALTER TABLE's
 * EXCLUSIVE makes later SELECTs queue behind it, which is how one long transaction stalls a whole
 * application once a DDL arrives).
 */
final class MetadataLockConflicts {

    private static final List<String> OBJECT_TYPES = List.of("SHARED", "SHARED_HIGH_PRIO", "SHARED_READ", "SHARED_WRITE",
            "SHARED_WRITE_LOW_PRIO", "SHARED_UPGRADABLE", "SHARED_READ_ONLY", "SHARED_NO_WRITE", "SHARED_NO_READ_WRITE", "EXCLUSIVE");

    // Rows: the request; columns: the granted lock, in OBJECT_TYPES order. '-' means the request waits.
    private static final String[] GRANTED = {
            "+++++++++-", // S
            "+++++++++-", // SH
            "++++++++--", // SR
            "++++++----", // SW
            "++++++----", // SWLP
            "+++++-+---", // SU
            "+++--+++--", // SRO
            "+++---+---", // SNW
            "++--------", // SNRW
            "----------", // X
    };

    // Rows: the request; columns: another pending request. '-' means the request queues behind it.
    private static final String[] PENDING = {
            "+++++++++-", // S
            "++++++++++", // SH
            "++++++++--", // SR
            "++++++++--", // SW
            "++++++-+--", // SWLP
            "+++++++++-", // SU
            "+++-++++--", // SRO
            "+++++++++-", // SNW
            "+++++++++-", // SNRW
            "++++++++++", // X
    };

    private static final List<String> SCOPED = List.of("INTENTION_EXCLUSIVE", "SHARED", "EXCLUSIVE");
    private static final String[] SCOPED_GRANTED = {"+--", "-+-", "---"};
    private static final String[] SCOPED_PENDING = {"+--", "++-", "+++"};

    private MetadataLockConflicts() {
    }

    /** Whether a pending request of type {@code wanted} waits for a granted lock of type {@code held}. */
    static boolean waitsForGranted(String wanted, String held) {
        return conflicts(GRANTED, wanted, held, true);
    }

    /** Whether a pending request of type {@code wanted} queues behind another pending request of type {@code other}. */
    static boolean queuesBehindPending(String wanted, String other) {
        return conflicts(PENDING, wanted, other, false);
    }

    private static boolean conflicts(String[] table, String wanted, String other, boolean unknownConflicts) {
        String a = normalise(wanted);
        String b = normalise(other);
        // Scoped locks (GLOBAL, SCHEMA): INTENTION_EXCLUSIVE, SHARED and EXCLUSIVE only.
        if (a.equals("INTENTION_EXCLUSIVE") || b.equals("INTENTION_EXCLUSIVE")) {
            int row = SCOPED.indexOf(a);
            int column = SCOPED.indexOf(b);
            if (row < 0 || column < 0) {
                return unknownConflicts;
            }
            return (table == GRANTED ? SCOPED_GRANTED : SCOPED_PENDING)[row].charAt(column) == '-';
        }
        int row = OBJECT_TYPES.indexOf(a);
        int column = OBJECT_TYPES.indexOf(b);
        if (row < 0 || column < 0) {
            // A type this table does not know (MariaDB's BACKUP_* locks): name the holder rather than hide it.
            return unknownConflicts;
        }
        return table[row].charAt(column) == '-';
    }

    private static String normalise(String type) {
        return type == null ? "" : type.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
    }
}
