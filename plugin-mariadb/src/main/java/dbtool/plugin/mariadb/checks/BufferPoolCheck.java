package dbtool.plugin.mariadb.checks;

import static dbtool.plugin.mariadb.checks.ConnectionHeadroomCheck.number;

import dbtool.plugin.mariadb.MariaDbSession;
import dbtool.spi.Category;
import dbtool.spi.CheckContext;
import dbtool.spi.CheckResult;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import dbtool.spi.Threshold;
import dbtool.toolkit.Format;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The InnoDB buffer pool: how often a page read is served from memory (since the server started),
 * how full it is, how much of it is dirty, and whether sessions had to wait for a free page.
 */
final class BufferPoolCheck extends MariaDbCheck {

    @Override
    public List<Threshold> thresholds() {
        return List.of(MariaDbThresholds.HIT_RATIO_WARNING, MariaDbThresholds.MIN_READ_REQUESTS);
    }

    // MariaDB 10.5-11.4, MySQL 8.0-8.4: the same counters on both.
    static final String STATUS = """
            SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_read_requests', 'Innodb_buffer_pool_reads',
                'Innodb_buffer_pool_pages_total', 'Innodb_buffer_pool_pages_free', 'Innodb_buffer_pool_pages_data',
                'Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_wait_free', 'Innodb_page_size', 'Uptime')
            """;
    static final String SIZE = "SHOW GLOBAL VARIABLES WHERE Variable_name = 'innodb_buffer_pool_size'";

    BufferPoolCheck() {
        super("buffer-pool", Category.RESOURCES, "InnoDB buffer pool hit ratio, usage, dirty pages and free-page waits");
    }

    @Override
    public Set<String> findingCodes() {
        return Set.of("MARIADB_BUFFER_POOL_HIT_RATIO", "MARIADB_BUFFER_POOL_WAIT_FREE");
    }

    @Override
    protected CheckResult check(MariaDbSession session, CheckContext context) throws Exception {
        return interpret(session.nameValues(STATUS, context), session.nameValues(SIZE, context),
                MariaDbThresholds.HIT_RATIO_WARNING.value(context), MariaDbThresholds.MIN_READ_REQUESTS.value(context)).build();
    }

    static CheckResult.Builder interpret(Map<String, String> status, Map<String, String> variables, double warningRatio,
                                         double minRequests) {
        long requests = number(status.get("Innodb_buffer_pool_read_requests"));
        long diskReads = number(status.get("Innodb_buffer_pool_reads"));
        long total = number(status.get("Innodb_buffer_pool_pages_total"));
        long free = number(status.get("Innodb_buffer_pool_pages_free"));
        long dirty = number(status.get("Innodb_buffer_pool_pages_dirty"));
        long waitFree = number(status.get("Innodb_buffer_pool_wait_free"));
        long size = number(variables.get("innodb_buffer_pool_size"));
        double hit = requests == 0 ? 1.0 : 1.0 - (double) diskReads / requests;
        double used = total == 0 ? 0 : (double) (total - free) / total;
        double dirtyRatio = total == 0 ? 0 : (double) dirty / total;
        CheckResult.Builder result = CheckResult.builder()
                .metric("buffer_pool_hit_ratio", hit).metric("buffer_pool_read_requests", requests)
                .metric("buffer_pool_disk_reads", diskReads).metric("buffer_pool_used_ratio", used)
                .metric("buffer_pool_dirty_ratio", dirtyRatio).metric("buffer_pool_wait_free", waitFree)
                .metric("buffer_pool_bytes", size);
        if (requests >= minRequests && hit < warningRatio) {
            result.add(Finding.of("MARIADB_BUFFER_POOL_HIT_RATIO", Severity.WARNING,
                            "Buffer pool hit ratio " + Format.percent(hit) + " since the server started (warning below "
                                    + Format.percent(warningRatio) + ")")
                    .detail(diskReads + " of " + requests + " page reads went to disk. The working set does not fit in the "
                            + Format.bytes(size) + " buffer pool, or large scans push it out.")
                    .evidence("hitRatio", hit).evidence("readRequests", requests).evidence("diskReads", diskReads)
                    .evidence("bufferPoolBytes", size).evidence("usedRatio", used)
                    .recommendation("Find the scans (the long-queries check, or the slow query log with log_slow_verbosity) and"
                            + " their missing indexes; if the working set is simply larger, raise innodb_buffer_pool_size"
                            + " (dynamic: SET GLOBAL innodb_buffer_pool_size = ...; keep it within the host's memory).")
                    .playbook(playbook("mariadb-buffer-pool")).build());
        }
        if (waitFree > 0) {
            result.add(Finding.of("MARIADB_BUFFER_POOL_WAIT_FREE", Severity.WARNING,
                            "Sessions waited " + waitFree + " times for a free buffer pool page since the server started")
                    .detail("InnoDB could not flush dirty pages fast enough to give reads a clean page: writes outpace the I/O"
                            + " capacity (" + Format.percent(dirtyRatio) + " of the pool is dirty now).")
                    .evidence("waitFree", waitFree).evidence("dirtyRatio", dirtyRatio).evidence("usedRatio", used)
                    .recommendation("Check innodb_io_capacity and innodb_io_capacity_max against the storage, and the write load;"
                            + " a larger buffer pool or redo log (innodb_log_file_size) gives flushing more room.")
                    .playbook(playbook("mariadb-buffer-pool")).build());
        }
        return result;
    }
}
