package dbtool.logs.replay;

import dbtool.core.run.TroubleshootRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Replays a capture: one connection per captured session, each session started at its original offset
 * and its statements separated by their original think times, both divided by the speed; at most
 * {@code maxSessions} sessions at once (a session that would be one more waits for one to end).
 *
 * <p>One dispatcher reads the capture in order and hands each event, when it is due, to its session's
 * worker (a virtual thread with its own connection), so the capture is streamed, never held.
 */
final class Replayer {

    /** Opens a connection to the replay target. */
    interface Connector {
        Connection open() throws SQLException;
    }

    private static final CaptureEvent END = CaptureEvent.disconnect("", 0);

    private final Connector connector;
    private final RunFile out;
    private final double speed;
    private final int maxSessions;
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final LongAdder lagMicros = new LongAdder();
    private final AtomicLong maxLagMicros = new AtomicLong();
    private long startNanos;
    private long firstMicros = Long.MIN_VALUE;

    Replayer(Connector connector, RunFile out, double speed, int maxSessions) {
        this.connector = connector;
        this.out = out;
        this.speed = speed;
        this.maxSessions = maxSessions;
    }

    /** Replays every event of the capture and returns when the last session has ended. */
    void run(CaptureFile.In capture) throws InterruptedException {
        Semaphore slots = new Semaphore(maxSessions);
        Map<String, Worker> open = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        startNanos = System.nanoTime();
        CaptureEvent event;
        while ((event = capture.next()) != null) {
            if (firstMicros == Long.MIN_VALUE) {
                firstMicros = event.atMicros();
            }
            sleepUntil(due(event.atMicros()));
            Worker worker = open.get(event.session());
            if (worker == null) {
                if (event.kind() == CaptureEvent.Kind.DISCONNECT) {
                    continue;
                }
                slots.acquire();
                worker = new Worker(event.session(), slots);
                open.put(event.session(), worker);
                threads.add(Thread.ofVirtual().name("dbtool-replay-" + sessions.incrementAndGet()).start(worker));
            }
            worker.queue.put(event);
            if (event.kind() == CaptureEvent.Kind.DISCONNECT) {
                open.remove(event.session());
            }
        }
        for (Worker worker : open.values()) {
            worker.queue.put(END);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** When an event that started at {@code atMicros} in the capture is due in the replay, on the nanoTime clock. */
    private long due(long atMicros) {
        return startNanos + (long) (Math.max(0, atMicros - firstMicros) * 1000 / speed);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    long replayed() {
        return replayed.get();
    }

    long failed() {
        return failed.get();
    }

    long skipped() {
        return skipped.get();
    }

    long sessions() {
        return sessions.get();
    }

    /** The mean of how late statements started against their schedule, in milliseconds. */
    double meanLagMs() {
        long run = replayed.get();
        return run == 0 ? 0 : lagMicros.sum() / 1000.0 / run;
    }

    double maxLagMs() {
        return maxLagMicros.get() / 1000.0;
    }

    /** One captured session: its connection and its statements in order. */
    private final class Worker implements Runnable {
        final LinkedBlockingQueue<CaptureEvent> queue = new LinkedBlockingQueue<>();
        private final String session;
        private final Semaphore slots;
        private Connection connection;
        private String connectError;
        private long previousEndMicros = Long.MIN_VALUE; // the previous statement's end in the capture
        private long previousEndNanos;                   // and in the replay

        Worker(String session, Semaphore slots) {
            this.session = session;
            this.slots = slots;
        }

        @Override
        public void run() {
            try {
                CaptureEvent event;
                while ((event = queue.take()) != END && event.kind() != CaptureEvent.Kind.DISCONNECT) {
                    if (event.kind() == CaptureEvent.Kind.STATEMENT) {
                        statement(event);
                    } else {
                        connect();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                close();
                slots.release();
            }
        }

        private void connect() {
            if (connection == null && connectError == null) {
                try {
                    connection = connector.open();
                } catch (SQLException e) {
                    connectError = e.getSQLState() == null ? "08001" : e.getSQLState();
                }
            }
        }

        private void statement(CaptureEvent event) throws IOException, InterruptedException {
            String template = Templates.of(event.sql());
            if (event.lacksParameters()) {
                skipped.incrementAndGet();
                out.statement(new RunFile.Statement(session, template, event.ms(), -1, null, null,
                        "its bind parameters were not logged (a failed extended-protocol statement)", 0));
                return;
            }
            if (previousEndMicros != Long.MIN_VALUE) { // the think time, scaled, after the previous statement's end
                sleepUntil(previousEndNanos + (long) (Math.max(0, event.atMicros() - previousEndMicros) * 1000 / speed));
            }
            connect();
            long start = System.nanoTime();
            double lagMs = Math.max(0, start - due(event.atMicros())) / 1e6;
            lagMicros.add((long) (lagMs * 1000));
            maxLagMicros.accumulateAndGet((long) (lagMs * 1000), Math::max);
            String error = connectError;
            String message = connectError == null ? null : "the session could not connect";
            if (connection != null) {
                try {
                    execute(event);
                } catch (SQLException e) {
                    error = e.getSQLState() == null ? "XX000" : e.getSQLState();
                    message = TroubleshootRunner.reason(e);
                }
            }
            long end = System.nanoTime();
            double ms = (end - start) / 1e6;
            previousEndNanos = end;
            previousEndMicros = event.atMicros() + (long) (Math.max(0, event.ms()) * 1000);
            replayed.incrementAndGet();
            if (error != null) {
                failed.incrementAndGet();
            }
            out.statement(new RunFile.Statement(session, template, event.ms(), ms, error, message, null, lagMs));
        }

        private void execute(CaptureEvent event) throws SQLException {
            if (event.params() == null) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(event.sql());
                }
                return;
            }
            List<Integer> order = new ArrayList<>();
            String jdbc = Placeholders.toJdbc(event.sql(), order);
            try (PreparedStatement statement = connection.prepareStatement(jdbc)) {
                for (int i = 0; i < order.size(); i++) {
                    int index = order.get(i) - 1;
                    String value = index < event.params().size() ? event.params().get(index) : null;
                    if (value == null) {
                        statement.setNull(i + 1, Types.OTHER);
                    } else {
                        statement.setObject(i + 1, value, Types.OTHER); // untyped: the server infers the type, as it did for the original
                    }
                }
                statement.execute();
            }
        }

        private void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the session is over either way
                }
            }
        }
    }
}
