package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: the packaged server under a write load from several clients is killed with SIGKILL at a
 * random moment and restarted on the same directory. Each client thread appends 1, 2, 3, ... to
 * its own list ({@code RPUSH}, one command at a time) and records when each append was
 * acknowledged. After the restart every list must be exactly 1..m (a prefix of what was sent: no
 * holes, nothing invented), with m no more than what was sent; with {@code appendfsync always}
 * every acknowledged append is there, with {@code everysec} every one acknowledged two seconds or
 * more before the kill.
 */
@DisplayName("kill -9 under load, then restart on the same dir")
class CrashRecoveryIT {
    private static final int THREADS = 4;
    private static final long EVERYSEC_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    @TempDir
    Path dir;

    private int nextPort = 7150;
    private int starts;

    /** A free port of this suite's range (7150-7159), a new one for each start. */
    private int port() throws IOException {
        for (int tries = 0; tries < 10; tries++) {
            int p = nextPort;
            nextPort = nextPort == 7159 ? 7150 : nextPort + 1;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true); // as the server binds: a port in TIME_WAIT is usable
                s.bind(new InetSocketAddress("127.0.0.1", p));
                return p;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new IOException("no free port in 7150-7159");
    }

    private record Server(Process process, int port, Path log) {}

    private Server start(String fsync) throws Exception {
        int port = port();
        Path log = dir.resolve("server-" + (++starts) + ".log");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path jar = Path.of("target", "cellar-server.jar");
        assertThat(jar).exists();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--port", Integer.toString(port), "--dir", data.toString(),
                "--appendonly", "yes", "--appendfsync", fsync);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (Files.exists(log) && Files.readString(log).contains("Ready to accept connections")) {
                return new Server(p, port, log);
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("the server did not start; log:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /** One client thread's appends: what it sent and when each one was acknowledged. */
    private static final class Writer extends Thread {
        final int id;
        final int port;
        /** The first value this round appends (the list holds 1..first-1 already). */
        final long first;
        volatile long sent;
        final long[] ackedAt = new long[1 << 20];
        volatile int acked;
        volatile Throwable unexpected;

        Writer(int id, int port, long first) {
            super("writer-" + id);
            this.id = id;
            this.port = port;
            this.first = first;
            this.sent = first - 1;
        }

        @Override
        public void run() {
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                for (long i = first; ; i++) {
                    sent = i;
                    Reply r = c.call("RPUSH", "list:" + id, Long.toString(i));
                    if (!r.equals(new Reply.Int(i))) {
                        unexpected = new AssertionError("RPUSH list:" + id + " " + i + " answered " + r);
                        return;
                    }
                    ackedAt[acked] = System.nanoTime();
                    acked++;
                }
            } catch (IOException killed) {
                // the server went away: the end of this round
            } catch (Throwable t) {
                unexpected = t;
            }
        }

        /** How many appends of this round were acknowledged at or before {@code nanos}. */
        int ackedBefore(long nanos) {
            int n = acked;
            int count = 0;
            while (count < n && ackedAt[count] <= nanos) {
                count++;
            }
            return count;
        }
    }

    private void killAndRestart(String fsync, int kills, long seed) throws Exception {
        Random random = new Random(seed);
        long[] lengths = new long[THREADS];
        Server server = start(fsync);
        try {
            for (int round = 1; round <= kills; round++) {
                List<Writer> writers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Writer w = new Writer(t, server.port(), lengths[t] + 1);
                    writers.add(w);
                    w.start();
                }
                Thread.sleep(700 + random.nextInt(1800));
                long killedAt = System.nanoTime();
                server.process().destroyForcibly(); // SIGKILL
                assertThat(server.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
                for (Writer w : writers) {
                    w.join(TimeUnit.SECONDS.toMillis(30));
                    assertThat(w.isAlive()).as("writer %d still running", w.id).isFalse();
                    assertThat(w.unexpected).as("writer %d", w.id).isNull();
                }
                server = start(fsync);
                String context = "fsync " + fsync + ", seed " + seed + ", round " + round;
                long total = 0;
                try (RespClient c = new RespClient("127.0.0.1", server.port())) {
                    for (Writer w : writers) {
                        long m = checkPrefix(c, w.id, context);
                        int acked = w.acked;
                        assertThat(m).as("%s: list:%d is longer than what was sent", context, w.id)
                                .isLessThanOrEqualTo(w.sent);
                        long mustHave = "always".equals(fsync)
                                ? w.first - 1 + acked
                                : w.first - 1 + w.ackedBefore(killedAt - EVERYSEC_WINDOW_NANOS);
                        assertThat(m).as("%s: list:%d lost acknowledged appends (acked up to %d)",
                                context, w.id, w.first - 1 + acked).isGreaterThanOrEqualTo(mustHave);
                        assertThat(m).as("%s: list:%d shrank across restarts", context, w.id)
                                .isGreaterThanOrEqualTo(lengths[w.id]);
                        lengths[w.id] = m;
                        total += acked;
                    }
                }
                assertThat(total).as("%s: the load wrote something", context).isPositive();
            }
        } finally {
            server.process().destroyForcibly();
            server.process().waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Reads list:id and checks it is exactly 1..m; returns m. */
    private static long checkPrefix(RespClient c, int id, String context) throws IOException {
        Reply r = c.call("LRANGE", "list:" + id, "0", "-1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (r instanceof Reply.Error e && e.message().startsWith("LOADING") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // the data set is still loading
            } catch (InterruptedException ie) {
                throw new IOException(ie);
            }
            r = c.call("LRANGE", "list:" + id, "0", "-1");
        }
        assertThat(r).isInstanceOf(Reply.Array.class);
        List<Reply> items = ((Reply.Array) r).items();
        for (int i = 0; i < items.size(); i++) {
            Reply item = items.get(i);
            String v = item instanceof Reply.Bulk b ? new String(b.value(), StandardCharsets.UTF_8) : item.toString();
            if (!v.equals(Long.toString(i + 1))) {
                throw new AssertionError(context + ": list:" + id + " is not a prefix of what was sent: item " + i
                        + " is " + v + " (length " + items.size() + ")");
            }
        }
        return items.size();
    }

    @Test
    @DisplayName("appendfsync always: every acknowledged write survives, the data is a prefix of what was sent")
    void fsyncAlways() throws Exception {
        killAndRestart("always", 3, System.nanoTime());
    }

    @Test
    @DisplayName("appendfsync everysec: at most about two seconds of writes are lost, the data is a prefix of what was sent")
    void fsyncEverysec() throws Exception {
        killAndRestart("everysec", 2, System.nanoTime());
    }
}
