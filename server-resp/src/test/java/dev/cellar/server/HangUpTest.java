package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Regression: commands a client sent right before hanging up were dropped instead of run. */
class HangUpTest {

    @Test
    void commandsSentBeforeTheClientHangsUpStillRun() throws Exception {
        try (ServerFixture fixture = ServerFixture.start()) {
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
}
