package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The owner-thread execution keeps every connection's order whether a batch runs inline on its
 * event loop (engine idle) or is handed to the owner (engine busy): concurrent pipelining clients
 * see their own counters in sequence, and a client blocked in a pipeline gets its later replies
 * after the blocked one.
 */
class OwnerThreadInlineTest {
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 60;
    private static final int DEPTH = 10;

    private static ServerFixture start(boolean inline) throws InterruptedException {
        System.setProperty("cellar.owner.inline", Boolean.toString(inline));
        try {
            // Two event loops, so batches of different loops meet on the engine lock and the owner.
            return ServerFixture.start("cellar-execution", "owner-thread", "cellar-event-loops", "2");
        } finally {
            System.clearProperty("cellar.owner.inline");
        }
    }

    @ParameterizedTest(name = "inline {0}")
    @ValueSource(booleans = {true, false})
    void concurrentPipelinesKeepEachConnectionsOrder(boolean inline) throws Exception {
        try (ServerFixture server = start(inline)) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<List<Long>>> results = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    String key = "counter:" + c;
                    results.add(pool.submit(() -> {
                        List<Long> seen = new ArrayList<>();
                        try (RespClient client = server.client()) {
                            for (int r = 0; r < ROUNDS; r++) {
                                for (int i = 0; i < DEPTH; i++) {
                                    client.send(bytes("INCR"), bytes(key));
                                    client.send(bytes("INCR"), bytes("shared"));
                                }
                                for (int i = 0; i < DEPTH; i++) {
                                    seen.add(((Reply.Int) client.read()).value());
                                    assertThat(client.read()).isInstanceOf(Reply.Int.class);
                                }
                            }
                        }
                        return seen;
                    }));
                }
                for (Future<List<Long>> f : results) {
                    List<Long> seen = f.get(60, TimeUnit.SECONDS);
                    assertThat(seen).hasSize(ROUNDS * DEPTH);
                    for (int i = 0; i < seen.size(); i++) {
                        assertThat(seen.get(i)).isEqualTo(i + 1L);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            try (RespClient client = server.client()) {
                assertThat(client.call("GET", "shared"))
                        .isEqualTo(Reply.bulk(bytes(Integer.toString(CLIENTS * ROUNDS * DEPTH))));
            }
        }
    }

    @ParameterizedTest(name = "inline {0}")
    @ValueSource(booleans = {true, false})
    void commandsPipelinedAfterABlockedOneAnswerAfterIt(boolean inline) throws Exception {
        try (ServerFixture server = start(inline);
                RespClient blocked = server.client();
                RespClient pusher = server.client()) {
            blocked.send(bytes("BLPOP"), bytes("queue"), bytes("5"));
            blocked.send(bytes("INCR"), bytes("after"));
            blocked.send(bytes("GET"), bytes("after"));
            // the INCR must wait behind the BLPOP: nothing has run it yet
            Thread.sleep(100);
            assertThat(pusher.call("GET", "after")).isEqualTo(Reply.NULL);
            assertThat(pusher.call("RPUSH", "queue", "x")).isEqualTo(Reply.of(1));
            assertThat(blocked.read()).isEqualTo(Reply.array(List.of(Reply.bulk(bytes("queue")), Reply.bulk(bytes("x")))));
            assertThat(blocked.read()).isEqualTo(Reply.of(1));
            assertThat(blocked.read()).isEqualTo(Reply.bulk(bytes("1")));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
