package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.DatasetDump;
import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DEBUG LOADAOF: the log's buffer written out, the data set emptied and loaded again from the
 * files the manifest names (Redis's own round-trip check of its AOF), compared with redis-server.
 */
@DisplayName("DEBUG LOADAOF")
class DebugLoadAofTest {
    private static final int DBS = 4;

    @TempDir
    Path dir;

    private static final List<List<String>> BEFORE_REWRITE = List.of(
            List.of("SET", "s", "hello"),
            List.of("EXPIREAT", "s", "4102444800"),
            List.of("SET", "n", "10"),
            List.of("INCR", "n"),
            List.of("RPUSH", "l", "a", "b", "c"),
            List.of("HSET", "h", "f1", "v1", "f2", "v2"),
            List.of("SADD", "st", "x", "y", "z"),
            List.of("SADD", "ints", "1", "2", "3"),
            List.of("ZADD", "z", "1", "a", "2.5", "b"),
            List.of("SELECT", "3"),
            List.of("SET", "d3", "v"),
            List.of("SELECT", "0"));

    private static final List<List<String>> AFTER_REWRITE = List.of(
            List.of("MULTI"),
            List.of("INCR", "n"),
            List.of("LPUSH", "l", "q"),
            List.of("EXEC"),
            List.of("DEL", "st"),
            List.of("HSET", "h", "f3", "v3"),
            List.of("INCRBYFLOAT", "f", "1.5"),
            List.of("SET", "big", "x".repeat(1000)),
            List.of("SELECT", "3"),
            List.of("LPUSH", "d3list", "1"),
            List.of("SELECT", "0"),
            List.of("DEBUG", "LOADAOF"),
            List.of("GET", "n"),
            List.of("DBSIZE"));

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    @DisplayName("replies and the data set loaded again are Redis's, with a rewritten base and an incr file")
    void sameAsRedis(String preamble) throws Exception {
        List<String> mismatches = new ArrayList<>();
        Path cellarDir = Files.createDirectories(dir.resolve("cellar"));
        try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--aof-use-rdb-preamble", preamble,
                        "--enable-debug-command", "yes");
                ServerFixture cellar = ServerFixture.start("dir", cellarDir.toString(), "appendonly", "yes",
                        "aof-use-rdb-preamble", preamble, "enable-debug-command", "yes");
                RespClient r = redis.client();
                RespClient c = cellar.client()) {
            Differential.compareScript(BEFORE_REWRITE, r, c, mismatches);
            for (RespClient side : List.of(r, c)) {
                assertThat(side.call("BGREWRITEAOF")).isInstanceOf(Reply.Simple.class);
                awaitRewrite(side);
            }
            Map<String, String> cellarBefore = dump(c);
            Differential.compareScript(AFTER_REWRITE.subList(0, AFTER_REWRITE.size() - 3), r, c, mismatches);
            Map<String, String> cellarWritten = dump(c);
            Differential.compareScript(AFTER_REWRITE.subList(AFTER_REWRITE.size() - 3, AFTER_REWRITE.size()), r, c,
                    mismatches);
            assertThat(mismatches).isEmpty();
            Map<String, String> redisLoaded = dump(r);
            Map<String, String> cellarLoaded = dump(c);
            assertThat(cellarLoaded).isEqualTo(redisLoaded).isEqualTo(cellarWritten).isNotEqualTo(cellarBefore);
            assertThat(cellarLoaded).containsKeys("0:big", "3:d3", "3:d3list", "0:f");
        }
    }

    @Test
    @DisplayName("reads the files: a command appended to the incr file by hand is in the data set after it")
    void readsTheFiles() throws Exception {
        try (ServerFixture cellar = ServerFixture.start("dir", dir.toString(), "appendonly", "yes",
                "enable-debug-command", "yes");
                RespClient c = cellar.client()) {
            assertThat(c.call("SET", "k", "v")).isEqualTo(Reply.OK);
            Path incr = lastIncr(dir.resolve("appendonlydir"));
            Files.write(incr, "*3\r\n$3\r\nSET\r\n$5\r\nadded\r\n$3\r\nyes\r\n".getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.APPEND);
            assertThat(c.call("GET", "added")).isEqualTo(Reply.NULL);
            assertThat(c.call("DEBUG", "LOADAOF")).isEqualTo(Reply.OK);
            assertThat(((Reply.Bulk) c.call("GET", "added")).text()).isEqualTo("yes");
            assertThat(((Reply.Bulk) c.call("GET", "k")).text()).isEqualTo("v");
            // neither DEBUG LOADAOF nor the replayed commands are logged again
            assertThat(c.call("SET", "after", "1")).isEqualTo(Reply.OK);
            String log = Files.readString(incr, StandardCharsets.ISO_8859_1);
            assertThat(log).doesNotContain("LOADAOF").doesNotContain("DEBUG");
            assertThat(count(log, "added")).isEqualTo(1);
            assertThat(log).contains("after");
        }
    }

    @Test
    @DisplayName("with appendonly no it is refused and the data set is kept")
    void refusedWithoutALog() throws Exception {
        try (ServerFixture cellar = ServerFixture.start("dir", dir.toString(), "enable-debug-command", "yes");
                RespClient c = cellar.client()) {
            assertThat(c.call("SET", "k", "v")).isEqualTo(Reply.OK);
            Reply reply = c.call("DEBUG", "LOADAOF");
            assertThat(reply).isInstanceOf(Reply.Error.class);
            assertThat(((Reply.Error) reply).message()).startsWith("ERR ").contains("appendonly");
            assertThat(((Reply.Bulk) c.call("GET", "k")).text()).isEqualTo("v");
        }
    }

    private static Map<String, String> dump(RespClient client) {
        Map<String, String> out = DatasetDump.of(DBS, (db, argv) -> {
            try {
                client.call("SELECT", Integer.toString(db));
                return client.call(argv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            client.call("SELECT", "0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void awaitRewrite(RespClient client) throws Exception {
        assertThat(PersistenceInfo.awaitRewrite(client)).isEqualTo("ok");
    }

    private static Path lastIncr(Path aofDir) throws IOException {
        String incr = null;
        for (String line : Files.readAllLines(aofDir.resolve("appendonly.aof.manifest"))) {
            if (line.endsWith("type i")) {
                incr = line.split(" ")[1];
            }
        }
        assertThat(incr).as("an incr file in the manifest").isNotNull();
        return aofDir.resolve(incr);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
