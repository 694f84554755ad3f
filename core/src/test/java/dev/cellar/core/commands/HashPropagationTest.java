package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential.Cmd;
import dev.cellar.core.testing.ManualClock;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.ReplayCheck;
import dev.cellar.core.testing.RespClient;
import dev.cellar.core.testing.TestEngine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the hash commands propagate, and that replaying it rebuilds the data set. */
class HashPropagationTest {
    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void randomWorkloadReplaysToTheSameDataSet() {
        HashDifferentialTest.Generator generator = new HashDifferentialTest.Generator(true, true);
        Random random = new Random(5);
        for (int i = 0; i < 5000; i++) {
            t.exec(generator.apply(random).argv());
            if (i % 500 == 0) {
                t.exec("SELECT", Integer.toString(i / 500 % 3));
            }
        }
        assertThat(t.propagatedText()).anyMatch(line -> line.contains(" HSET "));
        ReplayCheck.assertReplayMatches(t);
    }

    @Test
    void hincrbyfloatBecomesHsetOfTheResultEvenInsideMulti() {
        t.exec("MULTI");
        t.exec("HINCRBYFLOAT", "h", "f", "0.1");
        t.exec("HINCRBYFLOAT", "h", "f", "0.2");
        t.exec("EXEC");
        assertThat(t.propagatedText()).containsExactly("0 MULTI", "0 HSET h f 0.1", "0 HSET h f 0.3", "0 EXEC");
    }

    @Test
    void failedAndNoOpWritesAreNotPropagated() {
        t.exec("SET", "s", "v");
        t.exec("HSET", "s", "a", "1");
        t.exec("HSET", "h", "a", "x");
        t.exec("HINCRBY", "h", "a", "1");
        t.exec("HINCRBYFLOAT", "h", "a", "1");
        t.exec("HINCRBY", "h", "b", "x");
        t.exec("HSETNX", "h", "a", "2");
        t.exec("HDEL", "h", "zz");
        t.exec("HDEL", "nokey", "a");
        assertThat(t.propagatedText()).containsExactly("0 SET s v", "0 HSET h a x");
    }

    @Test
    void writesArePropagatedAsSent() {
        t.exec("HMSET", "h", "a", "1", "b", "2");
        t.exec("hset", "h", "c", "3");
        t.exec("HINCRBY", "h", "a", "41");
        t.exec("HSETNX", "h", "d", "4");
        t.exec("HDEL", "h", "a", "zz", "b", "c", "d");
        assertThat(t.propagatedText()).containsExactly(
                "0 HMSET h a 1 b 2", "0 hset h c 3", "0 HINCRBY h a 41", "0 HSETNX h d 4", "0 HDEL h a zz b c d");
    }

    @Test
    void anExpiredHashIsPropagatedAsDelWhenAWriteFindsIt() {
        t.exec("HSET", "h", "a", "1");
        // Set the expiry directly: the EXPIRE family is another helper's.
        t.cellar.withLock(() -> {
            t.cellar.engine().db(0).setExpire("h".getBytes(StandardCharsets.UTF_8), t.clock.currentTimeMillis() + 10);
            return null;
        });
        t.clock.advance(20);
        t.exec("HSET", "h", "b", "2");
        List<String> lines = t.propagatedText();
        // Redis 7.0 wraps the lazy-expiry DEL and the write of one command in MULTI/EXEC.
        assertThat(lines.subList(lines.size() - 4, lines.size()))
                .containsExactly("0 MULTI", "0 DEL h", "0 HSET h b 2", "0 EXEC");
        assertThat(t.exec("HKEYS", "h")).isEqualTo(HashCommandsTest.bulks("b"));
        ReplayCheck.assertReplayMatches(t);
    }

    /** The propagated stream equals what the real Redis writes to its AOF for the same workload. */
    @Test
    void streamMatchesTheAofOfRedis() throws Exception {
        HashDifferentialTest.Generator generator = new HashDifferentialTest.Generator(true, false);
        List<String[]> workload = new ArrayList<>();
        Random random = new Random(11);
        for (int i = 0; i < 1500; i++) {
            Cmd cmd = generator.apply(random);
            // Random picks do not write; a DEL of a missing key propagates nothing in either.
            workload.add(cmd.argv());
        }
        List<String> aof;
        try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes");
                RespClient client = redis.client();
                TestEngine cellar = TestEngine.create(new ManualClock(System.currentTimeMillis()))) {
            for (String[] argv : workload) {
                client.call(argv);
                cellar.exec(argv);
            }
            client.call("PING");
            Thread.sleep(100);
            aof = readAof(redis.dir().resolve("appendonlydir"));
            List<String> ours = new ArrayList<>();
            for (String line : cellar.propagatedText()) {
                ours.add(line.substring(line.indexOf(' ') + 1));
            }
            assertThat(ours).hasSizeGreaterThan(500).isEqualTo(aof);
        }
    }

    /** The commands of the incremental AOF files, SELECT omitted, as space-joined text. */
    static List<String> readAof(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".incr.aof")).sorted().toList();
        }
        for (Path f : files) {
            byte[] data = Files.readAllBytes(f);
            int[] pos = {0};
            while (pos[0] < data.length) {
                int n = Integer.parseInt(line(data, pos).substring(1));
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    int len = Integer.parseInt(line(data, pos).substring(1));
                    if (i > 0) {
                        sb.append(' ');
                    }
                    sb.append(new String(data, pos[0], len, StandardCharsets.UTF_8));
                    pos[0] += len + 2;
                }
                if (!sb.toString().startsWith("SELECT ")) {
                    out.add(sb.toString());
                }
            }
        }
        return out;
    }

    private static String line(byte[] data, int[] pos) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (data[pos[0]] != '\r') {
            b.write(data[pos[0]++]);
        }
        pos[0] += 2;
        return b.toString(StandardCharsets.UTF_8);
    }
}
