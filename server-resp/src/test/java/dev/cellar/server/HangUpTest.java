package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that hangs up: what it sent before still runs (regression: it was dropped), and its
 * clean-up (blocked command, subscriptions, client list) happens whether it runs inline on the
 * event loop (engine idle) or on the owner thread.
 */
class HangUpTest {

    private static ServerFixture start(boolean inline) throws InterruptedException {
        System.setProperty("cellar.owner.inline", Boolean.toString(inline));
        try {
            return ServerFixture.start("cellar-execution", "owner-thread");
        } finally {
            System.clearProperty("cellar.owner.inline");
        }
    }

    @ParameterizedTest(name = "inline {0}")
    @ValueSource(booleans = {true, false})
    void commandsSentBeforeTheClientHangsUpStillRun(boolean inline) throws Exception {
        try (ServerFixture fixture = start(inline)) {
            for (int round = 0; round < 20; round++) {
                try (Socket s = new Socket("127.0.0.1", fixture.port())) {
                    OutputStream out = s.getOutputStream();
                    out.write(("*3\r\n$3\r\nSET\r\n$6\r\nlast:" + (round % 10) + "\r\n$2\r\nv" + (round % 10) + "\r\n"
                            + "*2\r\n$4\r\nINCR\r\n$4\r\nsent\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            try (RespClient c = fixture.client()) {
                Reply sent = null;
                for (int i = 0; i < 100; i++) {
                    sent = c.call("GET", "sent");
                    if (sent.equals(Reply.bulk("20"))) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(sent).isEqualTo(Reply.bulk("20"));
                assertThat(c.call("GET", "last:9")).isEqualTo(Reply.bulk("v9"));
            }
        }
    }

    @ParameterizedTest(name = "inline {0}")
    @ValueSource(booleans = {true, false})
    void aBlockedOrSubscribedClientThatHangsUpIsCleanedUp(boolean inline) throws Exception {
        try (ServerFixture fixture = start(inline); RespClient c = fixture.client()) {
            for (String command : List.of("*3\r\n$5\r\nBLPOP\r\n$5\r\nqueue\r\n$1\r\n0\r\n",
                    "*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nnews\r\n")) {
                try (Socket s = new Socket("127.0.0.1", fixture.port())) {
                    s.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    awaitClients(c, 2);
                }
            }
            awaitClients(c, 1);
            assertThat(c.call("PUBSUB", "NUMSUB", "news")).isEqualTo(Reply.array(List.of(Reply.bulk("news"), Reply.of(0))));
            assertThat(c.call("RPUSH", "queue", "x")).isEqualTo(Reply.of(1)); // nobody took it
            assertThat(c.call("LLEN", "queue")).isEqualTo(Reply.of(1));
            assertThat(((Reply.Bulk) c.call("INFO", "clients")).text()).contains("blocked_clients:0");
        }
    }

    private static void awaitClients(RespClient c, int expected) throws Exception {
        long lines = -1;
        for (int i = 0; i < 250; i++) {
            String list = ((Reply.Bulk) c.call("CLIENT", "LIST")).text();
            lines = list.lines().count();
            if (lines == expected && (expected == 1 || list.contains("cmd=blpop") || list.contains("cmd=subscribe"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + expected + " clients, saw " + lines);
    }
}
