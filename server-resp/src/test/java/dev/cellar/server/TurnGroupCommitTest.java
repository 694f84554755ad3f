package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.persistence.aof.FaultyAofProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code appendfsync always}, writes that arrive together share one fsync, as in Redis, where
 * everything read in one event-loop iteration is written and fsynced once before the replies go
 * out: the owner thread commits what it drained at once, and an event loop commits the batches it
 * ran at the end of its turn, in both execution strategies. Counted on the real AOF engine through the test provider's
 * fsync counter ({@link FaultyAofProvider}, no faults switched on).
 */
class TurnGroupCommitTest {
    private static final int CLIENTS = 20;

    @TempDir
    Path dir;

    @AfterEach
    void clearFaults() {
        FaultyAofProvider.reset();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"owner-thread", "event-loop"})
    void writesArrivingTogetherShareAFewFsyncsAndAreAllInTheLogWhenAcknowledged(String execution) throws Exception {
        try (ServerFixture fixture = ServerFixture.start("dir", dir.toString(), "cellar-persistence",
                FaultyAofProvider.NAME, "appendonly", "yes", "appendfsync", "always", "enable-debug-command", "yes",
                "cellar-event-loops", "1", "cellar-execution", execution)) {
            List<Socket> sockets = new ArrayList<>();
            try (Socket sleeper = new Socket("127.0.0.1", fixture.port())) {
                for (int i = 0; i < CLIENTS; i++) {
                    Socket s = new Socket("127.0.0.1", fixture.port());
                    sockets.add(s);
                    send(s, "PING");
                    assertThat(readLine(s)).isEqualTo("+PONG");
                }
                int before = FaultyAofProvider.fsyncs();
                // The sleeper holds the only event loop (it runs inline there) while the writes
                // arrive, so the loop finds them all ready in its next turn.
                send(sleeper, "DEBUG", "SLEEP", "0.3");
                Thread.sleep(100);
                for (int i = 0; i < CLIENTS; i++) {
                    send(sockets.get(i), "SET", "together:" + i, "v" + i);
                }
                for (int i = 0; i < CLIENTS; i++) {
                    assertThat(readLine(sockets.get(i))).as("client %d", i).isEqualTo("+OK");
                    assertThat(GroupCommitTest.incrLogText(dir)).contains("together:" + i);
                }
                assertThat(readLine(sleeper)).isEqualTo("+OK");
                int fsyncs = FaultyAofProvider.fsyncs() - before;
                // One commit per event loop turn: one or two (if the reads straddle turns), not one
                // per write.
                assertThat(fsyncs).as("fsyncs for %d writes", CLIENTS).isBetween(1, 3);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private static void send(Socket s, String... argv) throws Exception {
        StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        OutputStream out = s.getOutputStream();
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
