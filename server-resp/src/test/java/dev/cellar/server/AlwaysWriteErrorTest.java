package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import dev.cellar.persistence.aof.FaultyAofProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * With {@code appendfsync always}, a write whose batch cannot be made durable is not acknowledged:
 * its client gets {@code -MISCONF Errors writing to the AOF file: <reason>}, the connection stays
 * open, reads in the same batch are answered, later writes are refused until the log accepts writes
 * again, and the log never keeps half a command. Run with the real AOF engine over a file system
 * that fails on demand ({@link FaultyAofProvider}), under both execution strategies.
 */
@DisplayName("appendfsync always: a write that cannot be persisted")
class AlwaysWriteErrorTest {
    private static final String DISK_FULL = "MISCONF Errors writing to the AOF file: No space left on device";
    private static final String IO_ERROR = "MISCONF Errors writing to the AOF file: Input/output error";

    @TempDir
    Path dir;

    @AfterEach
    void clearFaults() {
        FaultyAofProvider.reset();
    }

    private ServerFixture start(String execution) throws InterruptedException {
        return ServerFixture.start("dir", dir.toString(), "cellar-persistence", FaultyAofProvider.NAME,
                "appendonly", "yes", "appendfsync", "always", "cellar-execution", execution, "cellar-event-loops", "2");
    }

    /** The same directory with the stock AOF provider, refusing a truncated log. */
    private ServerFixture restartStrict() throws InterruptedException {
        return ServerFixture.start("dir", dir.toString(), "cellar-persistence", "aof", "appendonly", "yes",
                "aof-load-truncated", "no");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"owner-thread", "event-loop"})
    @DisplayName("gets MISCONF, reads in its pipeline are answered, writes are refused until the disk recovers")
    void rawClient(String execution) throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (ServerFixture fixture = start(execution); RespClient c = fixture.client()) {
            assertThat(c.call("SET", "a", "1")).isEqualTo(Reply.OK);
            acknowledged.add("a");

            FaultyAofProvider.diskFull(true);
            c.sendRaw(pipeline(List.of("GET", "a"), List.of("SET", "b", "2"), List.of("GET", "a")));
            assertThat(c.read()).isEqualTo(Reply.bulk("1"));
            assertThat(c.read()).isEqualTo(new Reply.Error(DISK_FULL));
            assertThat(c.read()).isEqualTo(Reply.bulk("1"));

            assertThat(c.call("SET", "refused", "x")).isEqualTo(new Reply.Error(DISK_FULL));
            assertThat(c.call("GET", "a")).as("the connection stays usable").isEqualTo(Reply.bulk("1"));
            assertThat(c.call("INFO", "persistence").toString()).contains("aof_last_write_status:err");

            FaultyAofProvider.diskFull(false);
            awaitWritesAccepted(c);
            acknowledged.add("after");
            assertThat(c.call("GET", "b")).as("the unacknowledged write stays in the data set")
                    .isEqualTo(Reply.bulk("2"));
            assertThat(c.call("INFO", "persistence").toString()).contains("aof_last_write_status:ok");
        }
        try (ServerFixture fixture = restartStrict(); RespClient c = fixture.client()) {
            for (String key : acknowledged) {
                assertThat(c.call("EXISTS", key)).as("acknowledged %s", key).isEqualTo(new Reply.Int(1));
            }
            assertThat(c.call("GET", "b")).as("the log agrees with the data set after the retry")
                    .isEqualTo(Reply.bulk("2"));
            assertThat(c.call("EXISTS", "refused")).isEqualTo(new Reply.Int(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"owner-thread", "event-loop"})
    @DisplayName("inside MULTI/EXEC, EXEC's reply becomes the error")
    void transaction(String execution) throws Exception {
        try (ServerFixture fixture = start(execution); RespClient c = fixture.client()) {
            FaultyAofProvider.diskFull(true);
            c.sendRaw(pipeline(List.of("MULTI"), List.of("SET", "m", "1"), List.of("INCR", "n"), List.of("EXEC"),
                    List.of("PING")));
            assertThat(c.read()).isEqualTo(Reply.OK);
            assertThat(c.read()).isEqualTo(Reply.QUEUED);
            assertThat(c.read()).isEqualTo(Reply.QUEUED);
            assertThat(c.read()).isEqualTo(new Reply.Error(DISK_FULL));
            assertThat(c.read()).isEqualTo(new Reply.Simple("PONG"));
            FaultyAofProvider.diskFull(false);
            awaitWritesAccepted(c);
        }
        try (ServerFixture fixture = restartStrict(); RespClient c = fixture.client()) {
            assertThat(c.call("GET", "m")).isEqualTo(Reply.bulk("1"));
            assertThat(c.call("GET", "n")).isEqualTo(Reply.bulk("1"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"owner-thread", "event-loop"})
    @DisplayName("a failed fsync is reported the same way, and the retry writes the data once")
    void fsyncFails(String execution) throws Exception {
        try (ServerFixture fixture = start(execution); RespClient c = fixture.client()) {
            FaultyAofProvider.fsyncFails(true);
            assertThat(c.call("INCR", "counter")).isEqualTo(new Reply.Error(IO_ERROR));
            assertThat(c.call("INCR", "counter")).isEqualTo(new Reply.Error(IO_ERROR));
            FaultyAofProvider.fsyncFails(false);
            awaitWritesAccepted(c);
            assertThat(c.call("INCR", "counter")).isEqualTo(new Reply.Int(2));
        }
        try (ServerFixture fixture = restartStrict(); RespClient c = fixture.client()) {
            assertThat(c.call("GET", "counter")).isEqualTo(Reply.bulk("2"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"owner-thread", "event-loop"})
    @DisplayName("Jedis sees a JedisDataException naming the cause and goes on using the connection")
    void jedis(String execution) throws Exception {
        try (ServerFixture fixture = start(execution); Jedis j = new Jedis("127.0.0.1", fixture.port())) {
            assertThat(j.set("a", "1")).isEqualTo("OK");
            FaultyAofProvider.diskFull(true);
            assertThatThrownBy(() -> j.set("b", "2")).isInstanceOf(JedisDataException.class).hasMessage(DISK_FULL);
            assertThat(j.get("a")).isEqualTo("1");
            Pipeline p = j.pipelined();
            p.get("a");
            p.set("c", "3");
            p.get("a");
            List<Object> replies = p.syncAndReturnAll();
            assertThat(replies.get(0)).isEqualTo("1");
            assertThat(replies.get(1)).isInstanceOf(JedisDataException.class)
                    .extracting(r -> ((Exception) r).getMessage()).isEqualTo(DISK_FULL);
            assertThat(replies.get(2)).isEqualTo("1");
            FaultyAofProvider.diskFull(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    assertThat(j.set("d", "4")).isEqualTo("OK");
                    break;
                } catch (JedisDataException e) {
                    assertThat(e.getMessage()).isEqualTo(DISK_FULL);
                    assertThat(System.nanoTime()).as("writes accepted again in time").isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
            assertThat(j.get("d")).isEqualTo("4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"owner-thread", "event-loop"})
    @DisplayName("a BLPOP served by an LPUSH whose batch fails gets the error, not the element")
    void blockedClientServedByAFailedWrite(String execution) throws Exception {
        try (ServerFixture fixture = start(execution); RespClient waiter = fixture.client();
                RespClient pusher = fixture.client()) {
            waiter.send(bytes("BLPOP", "q", "0"));
            awaitBlocked(pusher, 1);
            FaultyAofProvider.diskFull(true);
            assertThat(pusher.call("LPUSH", "q", "x")).isEqualTo(new Reply.Error(DISK_FULL));
            assertThat(waiter.read()).isEqualTo(new Reply.Error(DISK_FULL));
            assertThat(waiter.call("PING")).isEqualTo(new Reply.Simple("PONG"));
            FaultyAofProvider.diskFull(false);
            awaitWritesAccepted(pusher);
            assertThat(pusher.call("EXISTS", "q")).isEqualTo(new Reply.Int(0));
        }
        try (ServerFixture fixture = restartStrict(); RespClient c = fixture.client()) {
            assertThat(c.call("EXISTS", "q")).as("the push and the pop are both in the log").isEqualTo(new Reply.Int(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"owner-thread", "event-loop"})
    @DisplayName("a blocked client served by another client's write gets its reply only after the fsync")
    void lateReplyWaitsForTheGroupCommit(String execution) throws Exception {
        try (ServerFixture fixture = start(execution); Socket waiter = new Socket("127.0.0.1", fixture.port());
                RespClient pusher = fixture.client()) {
            waiter.setSoTimeout(10_000);
            OutputStream out = waiter.getOutputStream();
            InputStream in = waiter.getInputStream();
            out.write(pipeline(List.of("BLPOP", "q", "0")));
            out.flush();
            awaitBlocked(pusher, 1);

            CountDownLatch entered = new CountDownLatch(1);
            FaultyAofProvider.holdFsync(entered, new CountDownLatch(1));
            try {
                pusher.send(bytes("LPUSH", "q", "x"));
                assertThat(entered.await(10, TimeUnit.SECONDS)).as("the LPUSH's batch reached its fsync").isTrue();
                Thread.sleep(200);
                assertThat(in.available()).as("nothing reaches the waiter before the fsync").isZero();
            } finally {
                FaultyAofProvider.reset(); // lets the fsync go, or the server could not stop
            }

            String expected = "*2\r\n$1\r\nq\r\n$1\r\nx\r\n";
            assertThat(new String(in.readNBytes(expected.length()), StandardCharsets.US_ASCII)).isEqualTo(expected);
            assertThat(pusher.read()).isEqualTo(new Reply.Int(1));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void awaitWritesAccepted(RespClient c) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Reply r;
        while (!(r = c.call("SET", "after", "1")).equals(Reply.OK)) {
            assertThat(r).isInstanceOf(Reply.Error.class);
            assertThat(((Reply.Error) r).message()).startsWith("MISCONF Errors writing to the AOF file: ");
            assertThat(System.nanoTime()).as("writes accepted again in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitBlocked(RespClient c, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.call("INFO", "clients").toString().contains("blocked_clients:" + n)) {
            assertThat(System.nanoTime()).as("%d clients blocked in time", n).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static byte[][] bytes(String... argv) {
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    /** Commands encoded back to back, sent in one write so that they run as one batch. */
    @SafeVarargs
    private static byte[] pipeline(List<String>... commands) {
        StringBuilder sb = new StringBuilder();
        for (List<String> argv : commands) {
            sb.append('*').append(argv.size()).append("\r\n");
            for (String a : argv) {
                sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
