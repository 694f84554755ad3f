package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOF settings an operator changes on a running server, against a real redis-server: CONFIG SET
 * takes them (appendfsync, auto-aof-rewrite-*, aof-use-rdb-preamble, aof-timestamp-enabled,
 * aof-disable-auto-gc, aof-load-truncated, aof-rewrite-incremental-fsync) with Redis's replies and
 * errors, and what they change shows in the files as in Redis's: the next rewrite's base format,
 * history files kept and then removed, timestamp annotations in the incremental file.
 */
@DisplayName("AOF settings changed at run time, against redis-server")
class AofSettingsDifferentialTest {
    @TempDir
    Path dir;

    private static final List<List<String>> CONFIG_COMMANDS = List.of(
            List.of("CONFIG", "SET", "appendfsync", "always"),
            List.of("CONFIG", "GET", "appendfsync"),
            List.of("CONFIG", "SET", "appendfsync", "sometimes"),
            List.of("CONFIG", "SET", "appendfsync", "NO"),
            List.of("CONFIG", "GET", "appendfsync"),
            List.of("CONFIG", "SET", "appendfsync", "everysec"),
            List.of("CONFIG", "SET", "auto-aof-rewrite-percentage", "50"),
            List.of("CONFIG", "SET", "auto-aof-rewrite-percentage", "-1"),
            List.of("CONFIG", "SET", "auto-aof-rewrite-percentage", "1.5"),
            List.of("CONFIG", "SET", "auto-aof-rewrite-min-size", "1mb"),
            List.of("CONFIG", "SET", "auto-aof-rewrite-min-size", "1x"),
            List.of("CONFIG", "SET", "auto-aof-rewrite-min-size", "-1"),
            List.of("CONFIG", "SET", "auto-aof-rewrite-min-size", "99999999999gb"),
            List.of("CONFIG", "GET", "auto-aof-rewrite-percentage"),
            List.of("CONFIG", "GET", "auto-aof-rewrite-min-size"),
            List.of("CONFIG", "SET", "aof-use-rdb-preamble", "no", "aof-timestamp-enabled", "yes"),
            List.of("CONFIG", "SET", "aof-use-rdb-preamble", "1"),
            List.of("CONFIG", "SET", "aof-load-truncated", "no", "aof-rewrite-incremental-fsync", "no"),
            List.of("CONFIG", "SET", "aof-disable-auto-gc", "yes", "appendfsync", "bad"),
            // one at a time: with a pattern Redis answers in its hash table's order
            List.of("CONFIG", "GET", "aof-use-rdb-preamble"),
            List.of("CONFIG", "GET", "aof-timestamp-enabled"),
            List.of("CONFIG", "GET", "aof-load-truncated"),
            List.of("CONFIG", "GET", "aof-rewrite-incremental-fsync"),
            List.of("CONFIG", "GET", "aof-disable-auto-gc"),
            List.of("CONFIG", "SET", "appenddirname", "elsewhere"),
            List.of("CONFIG", "SET", "appendfilename", "other.aof"),
            List.of("CONFIG", "SET", "maxmemory", "1x"));

    @Test
    @DisplayName("CONFIG SET and GET of the AOF settings reply as Redis's, errors included")
    void configSetAndGet() throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes");
                ServerFixture cellar = ServerFixture.start("dir", dir.toString(), "appendonly", "yes");
                RespClient expectedSide = redis.client();
                RespClient actualSide = cellar.client()) {
            Differential.compareScript(CONFIG_COMMANDS, expectedSide, actualSide, mismatches);
        }
        assertThat(mismatches).isEmpty();
    }

    /** What the run-time changes leave in the AOF directory, step by step (timestamps masked). */
    private static List<String> sequence(RespClient c, Path aofDir) throws Exception {
        List<String> seen = new ArrayList<>();
        seen.add("set " + c.call("SET", "a", "1"));
        seen.add("preamble no " + c.call("CONFIG", "SET", "aof-use-rdb-preamble", "no"));
        rewrite(c, seen);
        seen.add("files " + files(aofDir));
        seen.add("gc off " + c.call("CONFIG", "SET", "aof-disable-auto-gc", "yes", "aof-use-rdb-preamble", "yes"));
        rewrite(c, seen);
        seen.add("files " + files(aofDir));
        seen.add("manifest " + Files.readString(aofDir.resolve("appendonly.aof.manifest")));
        seen.add("gc on " + c.call("CONFIG", "SET", "aof-disable-auto-gc", "no"));
        seen.add("files " + files(aofDir));
        seen.add("manifest " + Files.readString(aofDir.resolve("appendonly.aof.manifest")));
        seen.add("timestamps " + c.call("CONFIG", "SET", "aof-timestamp-enabled", "yes", "appendfsync", "always"));
        seen.add("set " + c.call("SET", "b", "2"));
        seen.add("incr " + Files.readString(aofDir.resolve("appendonly.aof.3.incr.aof"), StandardCharsets.ISO_8859_1)
                .replaceAll("#TS:\\d+", "#TS:<t>"));
        return seen;
    }

    private static void rewrite(RespClient c, List<String> seen) throws Exception {
        seen.add("bgrewriteaof " + c.call("BGREWRITEAOF"));
        seen.add("status " + PersistenceInfo.awaitRewrite(c));
    }

    private static List<String> files(Path aofDir) throws Exception {
        try (Stream<Path> s = Files.list(aofDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @DisplayName("aof-use-rdb-preamble, aof-disable-auto-gc and aof-timestamp-enabled set at run time change the files as in Redis")
    void filesFollowTheSettings() throws Exception {
        List<String> cellar;
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "appendonly", "yes", "save", "");
                RespClient c = f.client()) {
            cellar = sequence(c, dir.resolve("appendonlydir"));
        }
        List<String> redis;
        try (RedisServerProcess server = RedisServerProcess.start("--appendonly", "yes");
                RespClient c = server.client()) {
            redis = sequence(c, server.dir().resolve("appendonlydir"));
        }
        assertThat(cellar).isEqualTo(redis);
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "appendonly", "yes", "save", "");
                RespClient c = f.client()) {
            assertThat(c.call("MGET", "a", "b")).isEqualTo(
                    new Reply.Array(List.of(new Reply.Bulk("1".getBytes()), new Reply.Bulk("2".getBytes()))));
        }
    }
    @Test
    @DisplayName("a first start creates the AOF and counts its sizes from zero, as redis-server does; a restart counts the files")
    void sizesOnAFirstStart() throws Exception {
        List<String> cellar = new ArrayList<>();
        List<String> redis = new ArrayList<>();
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "appendonly", "yes", "save", "");
                RespClient c = f.client();
                RedisServerProcess server = RedisServerProcess.start("--appendonly", "yes");
                RespClient r = server.client()) {
            for (var side : List.of(java.util.Map.entry(c, cellar), java.util.Map.entry(r, redis))) {
                RespClient client = side.getKey();
                side.getValue().add("fresh " + PersistenceInfo.field(client, "aof_current_size") + " "
                        + PersistenceInfo.field(client, "aof_base_size"));
                client.call("SET", "a", "1");
                side.getValue().add("after a write " + PersistenceInfo.field(client, "aof_current_size") + " "
                        + PersistenceInfo.field(client, "aof_base_size"));
            }
        }
        assertThat(cellar).isEqualTo(redis);
        try (ServerFixture f = ServerFixture.start("dir", dir.toString(), "appendonly", "yes", "save", "");
                RespClient c = f.client()) {
            long files = 0;
            try (Stream<Path> s = Files.list(dir.resolve("appendonlydir"))) {
                for (Path p : s.filter(p -> !p.getFileName().toString().endsWith(".manifest")).toList()) {
                    files += Files.size(p);
                }
            }
            assertThat(PersistenceInfo.field(c, "aof_current_size")).isEqualTo(Long.toString(files));
        }
    }
}
