package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BITFIELD's, SORT ... STORE's, the HyperLogLog and the GEO commands' writes beside a real redis-server: the replies, the changes
 * counted ({@code rdb_changes_since_last_save}) and the incremental AOF each server writes are the
 * same, including Redis's quirks: a BITFIELD FAIL that skips its write changes nothing (although
 * the key was made), a BITFIELD SET of the value already there is not logged, SORT STORE counts a
 * change per element stored and is logged as written, an empty result deletes the destination,
 * PFCOUNT that stores a fresh count in the HLL's header is a change and is logged, GEOADD is logged
 * as the ZADD it amounts to, a search that stores nothing deletes its destination.
 * COMMAND GETKEYS finds SORT's keys as Redis's does.
 */
@DisplayName("BITFIELD and SORT STORE replies, changes and AOF against redis-server")
class LoggedWritesDifferentialTest {
    private static final List<List<String>> SCRIPT = List.of(
            List.of("BITFIELD", "failed", "OVERFLOW", "FAIL", "SET", "u8", "0", "300"),
            List.of("BITFIELD", "bf", "SET", "u8", "0", "0"),
            List.of("BITFIELD", "bf", "SET", "u8", "0", "0"),
            List.of("BITFIELD", "bf", "SET", "u8", "8", "0"),
            List.of("BITFIELD", "bf", "INCRBY", "i8", "0", "1", "INCRBY", "i8", "0", "1", "GET", "u16", "0"),
            List.of("BITFIELD", "bf", "OVERFLOW", "SAT", "INCRBY", "u4", "#3", "100", "OVERFLOW", "WRAP",
                    "INCRBY", "i5", "100", "-40"),
            List.of("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "200", "GET", "i64", "0"),
            List.of("BITFIELD", "missing", "GET", "u8", "0"),
            List.of("BITFIELD_RO", "bf", "GET", "u8", "0", "GET", "i3", "#2"),
            List.of("BITFIELD_RO", "bf", "SET", "u8", "0", "1"),
            List.of("SET", "s", "text"),
            List.of("BITFIELD", "s", "SET", "i16", "#1", "-2", "GET", "u32", "0"),
            List.of("GET", "s"),
            List.of("GET", "bf"),
            List.of("RPUSH", "list", "3", "1", "2", "10"),
            List.of("MSET", "w_1", "30", "w_2", "20", "w_3", "10"),
            List.of("HSET", "h_10", "name", "ten"),
            List.of("SORT", "list", "STORE", "sorted"),
            List.of("SORT", "list", "BY", "w_*", "GET", "#", "GET", "h_*->name", "LIMIT", "0", "3", "STORE", "sorted"),
            List.of("SORT", "list", "BY", "nosort", "DESC", "STORE", "other"),
            List.of("SORT", "nolist", "STORE", "other"),
            List.of("SORT", "nolist", "STORE", "other"),
            List.of("SADD", "set", "b", "a", "c"),
            List.of("SORT", "set", "BY", "nosort", "STORE", "fromset"),
            List.of("SORT", "set", "ALPHA", "DESC"),
            List.of("SORT_RO", "list", "GET", "w_*"),
            List.of("LRANGE", "sorted", "0", "-1"),
            List.of("LRANGE", "fromset", "0", "-1"),
            List.of("PFADD", "hll", "a", "b", "c"),
            List.of("PFADD", "hll", "a"),
            List.of("PFCOUNT", "hll"), // stores the count in the value: a change, logged
            List.of("PFCOUNT", "hll"),
            List.of("PFADD", "hll2"),
            List.of("PFMERGE", "merged", "hll", "hll2", "nohll"),
            List.of("PFCOUNT", "merged", "hll"),
            List.of("GET", "merged"),
            List.of("GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"),
            List.of("GEOADD", "geo", "XX", "CH", "13.361389", "38.2", "Palermo"),
            List.of("GEOADD", "geo", "NX", "13.361389", "38.2", "Palermo"),
            List.of("GEORADIUS", "geo", "15", "37", "200", "km", "STORE", "near"),
            List.of("GEORADIUSBYMEMBER", "geo", "Palermo", "100", "km", "STORE", "near"),
            List.of("GEOSEARCHSTORE", "near2", "geo", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC"),
            List.of("GEOSEARCHSTORE", "near2", "geo", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
            List.of("ZRANGE", "near", "0", "-1", "WITHSCORES"),
            List.of("COMMAND", "GETKEYS", "GEORADIUS", "geo", "15", "37", "200", "km", "STORE", "a", "STOREDIST", "b"),
            List.of("COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "geo", "Palermo", "100", "km", "STORE", "a"),
            List.of("COMMAND", "GETKEYS", "SORT", "list", "LIMIT", "0", "1", "STORE", "a", "STORE", "b"),
            List.of("COMMAND", "GETKEYS", "SORT", "list", "BY", "store", "GET", "x"),
            List.of("COMMAND", "GETKEYS", "SORT_RO", "list", "GET", "x"));

    private static long changes(RespClient c) throws Exception {
        return Long.parseLong(PersistenceInfo.field(c, "rdb_changes_since_last_save"));
    }

    /** Runs the script; returns each reply with the changes it counted. */
    private static List<String> run(RespClient c) throws Exception {
        List<String> seen = new ArrayList<>();
        for (List<String> command : SCRIPT) {
            long before = changes(c);
            Reply reply = c.call(command.toArray(new String[0]));
            seen.add(String.join(" ", command) + " -> " + reply + " changes +" + (changes(c) - before));
        }
        return seen;
    }

    /** The commands after the first SET in the incremental AOF (each server's own preamble differs). */
    private static String logged(Path dir) throws Exception {
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            Path incr = files.filter(p -> p.getFileName().toString().endsWith(".incr.aof")).findFirst().orElseThrow();
            String text = Files.readString(incr, StandardCharsets.ISO_8859_1);
            return text.substring(text.indexOf("$8\r\nBITFIELD"));
        }
    }

    @Test
    @DisplayName("the same replies, changes and logged commands")
    void sameRepliesChangesAndLog(@TempDir Path redisDir, @TempDir Path cellarDir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.startIn(redisDir, "--appendonly", "yes",
                "--appendfsync", "always");
                ServerFixture cellar = ServerFixture.start("dir", cellarDir.toString(), "appendonly", "yes",
                        "appendfsync", "always");
                RespClient r = redis.client();
                RespClient c = cellar.client()) {
            List<String> expected = run(r);
            assertThat(run(c)).containsExactlyElementsOf(expected);
            assertThat(expected.get(0)).endsWith("changes +0");
            assertThat(logged(cellarDir)).isEqualTo(logged(redisDir));
        }
    }
}
