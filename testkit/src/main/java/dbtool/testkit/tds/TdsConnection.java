package dbtool.testkit.tds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One client connection: PRELOGIN, LOGIN7, then SQL batches until the client hangs up. Runs on
 * its own thread; every login and batch is recorded by the responder before it is answered.
 */
final class TdsConnection implements Runnable {

    private static final int ENCRYPT_NOT_SUP = 0x02;

    private final Socket socket;
    private final TdsResponder responder;
    private final TdsScenario scenario;
    private final int spid;
    private int tdsVersion = LoginHandler.TDS_71;
    private TdsBackedSession backed; // the scenario's backing store, when it has one

    TdsConnection(Socket socket, TdsResponder responder, TdsScenario scenario, int spid) {
        this.socket = socket;
        this.responder = responder;
        this.scenario = scenario;
        this.spid = spid;
    }

    @Override
    public void run() {
        try (socket) {
            TdsFraming framing = new TdsFraming(socket.getInputStream(), socket.getOutputStream(), spid);
            boolean loggedIn = false;
            TdsMessage message;
            while ((message = framing.read()) != null) {
                switch (message.type()) {
                    case TdsMessage.PRELOGIN -> framing.write(TdsMessage.REPLY, preLoginReply());
                    case TdsMessage.LOGIN7 -> {
                        Login7 login = Login7.parse(message.payload());
                        responder.recordLogin(login);
                        tdsVersion = LoginHandler.negotiated(login);
                        boolean[] accepted = new boolean[1];
                        framing.reply(new LoginHandler(scenario).answer(login, accepted));
                        if (!accepted[0]) {
                            return; // SQL Server closes the connection after a failed login
                        }
                        loggedIn = true;
                        if (scenario.backingStore() != null) {
                            backed = scenario.backingStore().open(spid, login.userName());
                        }
                        framing.packetSize(LoginHandler.packetSize(login));
                    }
                    case TdsMessage.SQL_BATCH -> {
                        if (!loggedIn) {
                            return;
                        }
                        String sql = batchText(message.payload());
                        responder.recordBatch(spid, sql);
                        answer(framing, sql, answerFor(sql));
                    }
                    case TdsMessage.RPC -> {
                        responder.recordUnexpected("RPC request (sp_prepare, sp_executesql or a procedure call)");
                        framing.reply(new TokenWriter(tdsVersion).error(50000, 1, 16, "The TDS test responder answers SQL batches only, "
                                + "not RPC requests (sp_prepare, sp_executesql): send the statement with java.sql.Statement.",
                                scenario.serverName()).done(TokenWriter.DONE_ERROR, 0).bytes());
                    }
                    case TdsMessage.ATTENTION -> framing.reply(new TokenWriter(tdsVersion).done(TokenWriter.DONE_ATTN, 0).bytes());
                    default -> {
                        responder.recordUnexpected("TDS message type 0x" + Integer.toHexString(message.type()));
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the client went away (or the responder closed): nothing to answer any more
        } finally {
            if (backed != null) {
                backed.close();
            }
        }
    }

    private TdsAnswer answerFor(String sql) {
        TdsAnswer canned = scenario.cannedAnswer(sql);
        if (canned != null) {
            return canned;
        }
        TdsAnswer stored = backed == null ? null : backed.answer(sql);
        if (stored != null) {
            return stored;
        }
        TdsAnswer builtIn = TdsScenario.builtInAnswer(sql);
        if (builtIn != null) {
            return builtIn;
        }
        responder.recordUnexpected(TdsScenario.normalize(sql));
        return TdsAnswer.invalidObject(TdsScenario.firstObject(sql));
    }

    private void answer(TdsFraming framing, String sql, TdsAnswer answer) throws IOException {
        TokenWriter reply = new TokenWriter(tdsVersion);
        if (answer instanceof TdsAnswer.Delay delay) {
            if (waitForAttention(framing, delay.duration())) {
                responder.recordCancelled(sql);
                framing.reply(reply.done(TokenWriter.DONE_ATTN, 0).bytes());
                return;
            }
            answer(framing, sql, delay.then());
            return;
        }
        write(reply, answer);
        framing.reply(reply.bytes());
    }

    /** The tokens of an answer that is sent at once. */
    private void write(TokenWriter reply, TdsAnswer answer) {
        switch (answer) {
            case TdsAnswer.Results results -> {
                for (int i = 0; i < results.results().size(); i++) {
                    TdsResult result = results.results().get(i);
                    boolean last = i == results.results().size() - 1;
                    reply.columns(result).rows(result).done(TokenWriter.DONE_COUNT | (last ? 0 : TokenWriter.DONE_MORE), result.rows().size());
                }
            }
            case TdsAnswer.Failure failure -> reply.error(failure.number(), failure.state(), failure.severity(), failure.message(),
                    scenario.serverName()).done(TokenWriter.DONE_ERROR, 0);
            case TdsAnswer.Done done -> reply.done(0, 0);
            case TdsAnswer.Updated updated -> reply.done(TokenWriter.DONE_COUNT, 0xC3, updated.count()); // as an INSERT
            case TdsAnswer.Notice notice -> {
                reply.info(notice.number(), 1, notice.message(), scenario.serverName());
                write(reply, notice.then());
            }
            case TdsAnswer.Delay delay -> throw new IllegalArgumentException("a delay can only be the whole answer, not follow a notice");
        }
    }

    /** Sleeps through a slow statement; true when the client sent ATTENTION meanwhile. */
    private boolean waitForAttention(TdsFraming framing, Duration duration) throws IOException {
        long end = System.nanoTime() + duration.toNanos();
        try {
            while (true) {
                long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
                if (System.nanoTime() >= end) {
                    return false;
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                TdsMessage message = framing.read();
                if (message == null) {
                    throw new IOException("client closed the connection during a slow statement");
                }
                if (message.type() == TdsMessage.ATTENTION) {
                    return true;
                }
                responder.recordUnexpected("TDS message type 0x" + Integer.toHexString(message.type()) + " while a statement ran");
            }
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    /** The UCS-2 text of a SQL_BATCH; from TDS 7.2 on it starts with ALL_HEADERS (a total length first). */
    private String batchText(byte[] payload) {
        int offset = 0;
        if (Integer.compareUnsigned(tdsVersion, 0x72090002) >= 0 && payload.length >= 4) {
            offset = (payload[0] & 0xFF) | (payload[1] & 0xFF) << 8 | (payload[2] & 0xFF) << 16 | (payload[3] & 0xFF) << 24;
        }
        return new String(Arrays.copyOfRange(payload, offset, payload.length), StandardCharsets.UTF_16LE);
    }

    /** VERSION, ENCRYPTION (not supported: the client goes on in clear text), INSTOPT, THREADID, MARS. */
    private static byte[] preLoginReply() {
        byte[][] values = {{15, 0, 0x10, (byte) 0xF9, 0, 0}, {ENCRYPT_NOT_SUP}, {0}, {}, {0}};
        int headerLength = values.length * 5 + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = headerLength;
        for (int option = 0; option < values.length; option++) {
            out.write(option);
            out.write(offset >> 8);
            out.write(offset);
            out.write(values[option].length >> 8);
            out.write(values[option].length);
            offset += values[option].length;
        }
        out.write(0xFF);
        for (byte[] value : values) {
            out.writeBytes(value);
        }
        return out.toByteArray();
    }
}
