package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Session;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A list whose quicklist nodes Cellar takes over from Redis's own listpack bytes (RESTORE of a
 * payload that redis-server DUMPed; a load does the same) against the same list in redis-server:
 * the elements in every entry encoding (each integer width, string lengths across the length
 * encodings, an entry whose size needs Redis's 3-byte back-length at 16383), and then the same
 * changes applied to both, compared after each, and the payload sent back to Redis.
 */
@DisplayName("quicklist nodes taken over from Redis's listpacks behave as Redis's list")
class QuicklistNodesDifferentialTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("every entry encoding, then pushes, inserts, sets, removals and trims on both")
    void adoptedNodesBehaveAsRedis() throws Exception {
        List<String> elements = new ArrayList<>(List.of("0", "127", "128", "-1", "4095", "-4096", "4096", "32767",
                "-32768", "32768", "8388607", "-8388608", "8388608", "2147483647", "-2147483648", "2147483648",
                "9223372036854775807", "-9223372036854775808", "007", "-0", "+1", " 1", "", "a", "x".repeat(63),
                "y".repeat(64), "z".repeat(4095), "w".repeat(4096), "v".repeat(16378), "u".repeat(9000)));
        for (int i = 0; i < 1500; i++) {
            elements.add(i % 3 == 0 ? Integer.toString(i * 37 - 20000) : "item " + i);
        }
        try (RedisServerProcess redis = RedisServerProcess.start(); RespClient r = redis.client();
                CellarEngine cellar = new CellarEngine(CellarConfig.builder().set("cellar-persistence", "rdb")
                        .set("dir", dir.toString()).set("hz", "1").build())) {
            Session s = cellar.newSession();
            for (int i = 0; i < elements.size(); i += 100) {
                List<String> cmd = new ArrayList<>(List.of("RPUSH", "l"));
                cmd.addAll(elements.subList(i, Math.min(elements.size(), i + 100)));
                r.call(cmd.toArray(String[]::new));
            }
            byte[] payload = ((Reply.Bulk) r.call("DUMP", "l")).value();
            assertThat(cellar.execute(s, new byte[][] {b("RESTORE"), b("l"), b("0"), payload})).isEqualTo(Reply.OK);
            assertSame(r, cellar, s, "after RESTORE");

            String[][] changes = {
                {"LPUSH", "l", "head1", "17", "v".repeat(16378)}, {"RPUSH", "l", "tail1", "-5"},
                {"LINSERT", "l", "BEFORE", "007", "before-007"}, {"LINSERT", "l", "AFTER", "w".repeat(4096), "after-w"},
                {"LSET", "l", "3", "set-3"}, {"LSET", "l", "-2", "12345678901"}, {"LREM", "l", "0", "-0"},
                {"LREM", "l", "2", "item 1"}, {"LPOP", "l", "3"}, {"RPOP", "l", "2"}, {"LTRIM", "l", "1", "-2"},
                {"LINSERT", "l", "BEFORE", "v".repeat(16378), "x"}, {"LREM", "l", "-1", "u".repeat(9000)}};
            for (String[] change : changes) {
                String said = String.join(" ", change);
                assertThat(exec(cellar, s, change)).as(said.substring(0, Math.min(40, said.length())))
                        .isEqualTo(r.call(change));
                assertSame(r, cellar, s, "after " + change[0]);
            }
            for (String index : List.of("0", "1", "29", "500", "-1", "-700")) {
                assertThat(exec(cellar, s, "LINDEX", "l", index)).isEqualTo(r.call("LINDEX", "l", index));
            }
            byte[] back = ((Reply.Bulk) exec(cellar, s, "DUMP", "l")).value();
            assertThat(r.call(new byte[][] {b("RESTORE"), b("back"), b("0"), back})).isEqualTo(new Reply.Simple("OK"));
            assertThat(r.call("LRANGE", "back", "0", "-1")).isEqualTo(r.call("LRANGE", "l", "0", "-1"));
        }
    }

    private static void assertSame(RespClient r, CellarEngine cellar, Session s, String when) throws Exception {
        assertThat(exec(cellar, s, "LLEN", "l")).as("LLEN %s", when).isEqualTo(r.call("LLEN", "l"));
        assertThat(exec(cellar, s, "LRANGE", "l", "0", "-1")).as("LRANGE %s", when)
                .isEqualTo(r.call("LRANGE", "l", "0", "-1"));
    }

    private static Reply exec(CellarEngine c, Session s, String... argv) {
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = b(argv[i]);
        }
        return c.execute(s, b);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
