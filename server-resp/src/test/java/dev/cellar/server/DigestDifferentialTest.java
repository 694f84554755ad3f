package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DEBUG DIGEST and DIGEST-VALUE against a real redis-server: the same data set gives the same 40
 * digits on both, whatever the encodings each chose; and a snapshot written by one server and
 * loaded by the other gives the digest the writer had, both ways, so a migration can be checked
 * with one command on each side.
 */
@DisplayName("DEBUG DIGEST against redis-server")
class DigestDifferentialTest {
    @TempDir
    Path dir;

    /** Every type, small and large encodings, two databases, expiries far ahead. */
    private static void workload(RespClient c) throws Exception {
        c.call("SET", "embstr", "hello");
        c.call("SET", "int", "-1234567");
        c.call("SET", "raw", "r".repeat(300));
        c.call("SET", "ttl", "v", "EX", "100000");
        List<String> list = new ArrayList<>(List.of("RPUSH", "biglist"));
        List<String> set = new ArrayList<>(List.of("SADD", "bigset"));
        List<String> hash = new ArrayList<>(List.of("HSET", "bighash"));
        List<String> zset = new ArrayList<>(List.of("ZADD", "bigzset"));
        for (int i = 0; i < 300; i++) {
            list.add("element-" + i);
            set.add("member-" + i);
            hash.add("field-" + i);
            hash.add("value-" + i);
            zset.add(Double.toString(i / 7.0));
            zset.add("m" + i);
        }
        c.call(list.toArray(String[]::new));
        c.call(set.toArray(String[]::new));
        c.call(hash.toArray(String[]::new));
        c.call(zset.toArray(String[]::new));
        c.call("RPUSH", "list", "a", "12", "b");
        c.call("SADD", "intset", "3", "1", "2");
        c.call("SADD", "set", "x", "y");
        c.call("HSET", "hash", "f", "1", "g", "two");
        c.call("ZADD", "zset", "0.1", "a", "-2", "b", "inf", "c");
        c.call("PEXPIRE", "zset", "100000000");
        c.call("SELECT", "5");
        c.call("SET", "embstr", "other db");
        c.call("HSET", "hash", "f", "1");
        c.call("SELECT", "0");
    }

    private static String digest(RespClient c) throws Exception {
        return ((Reply.Simple) c.call("DEBUG", "DIGEST")).value();
    }

    @Test
    @DisplayName("the same writes give the same DEBUG DIGEST and DIGEST-VALUE, and snapshots carry it across both ways")
    void sameDigest() throws Exception {
        Path fromRedis = Files.createDirectories(dir.resolve("from-redis"));
        Path fromCellar = Files.createDirectories(dir.resolve("from-cellar"));
        String redisDigest;
        String cellarDigest;
        try (RedisServerProcess redis = RedisServerProcess.start();
                ServerFixture cellar = ServerFixture.start("dir", fromCellar.toString(), "cellar-persistence", "rdb",
                        "save", "", "enable-debug-command", "yes");
                RespClient r = redis.client();
                RespClient c = cellar.client()) {
            assertThat(digest(c)).isEqualTo(digest(r)).isEqualTo("0".repeat(40));
            workload(r);
            workload(c);
            redisDigest = digest(r);
            cellarDigest = digest(c);
            assertThat(cellarDigest).isEqualTo(redisDigest).isNotEqualTo("0".repeat(40));
            String[] keys = {"DEBUG", "DIGEST-VALUE", "embstr", "int", "raw", "ttl", "biglist", "bigset", "bighash",
                "bigzset", "list", "intset", "set", "hash", "zset", "nosuchkey"};
            assertThat(c.call(keys)).isEqualTo(r.call(keys));
            c.call("SET", "embstr", "changed");
            assertThat(digest(c)).isNotEqualTo(redisDigest);
            c.call("SET", "embstr", "hello");
            assertThat(digest(c)).isEqualTo(redisDigest);
            assertThat(r.call("SAVE")).isEqualTo(Reply.OK);
            assertThat(c.call("SAVE")).isEqualTo(Reply.OK);
            Files.copy(redis.dir().resolve("dump.rdb"), fromRedis.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (ServerFixture cellar = ServerFixture.start("dir", fromRedis.toString(), "cellar-persistence", "rdb",
                "save", "", "enable-debug-command", "yes");
                RespClient c = cellar.client()) {
            assertThat(digest(c)).as("Cellar loading redis-server's dump.rdb").isEqualTo(redisDigest);
        }
        try (RedisServerProcess redis = RedisServerProcess.startIn(fromCellar); RespClient r = redis.client()) {
            assertThat(digest(r)).as("redis-server loading Cellar's dump.rdb").isEqualTo(cellarDigest);
        }
    }
    /** Copies an AOF directory (the manifest and the files it names). */
    private static void copyDir(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    @DisplayName("an appendonlydir written by one server (preamble, then commands) loads in the other with the writer's digest, both ways")
    void appendOnlyFilesCarryTheDigest() throws Exception {
        Path fromRedis = dir.resolve("aof-from-redis");
        Path fromCellar = Files.createDirectories(dir.resolve("aof-from-cellar"));
        String redisDigest;
        String cellarDigest;
        try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
                ServerFixture cellar = ServerFixture.start("dir", fromCellar.toString(), "appendonly", "yes",
                        "appendfsync", "always", "save", "", "enable-debug-command", "yes");
                RespClient r = redis.client();
                RespClient c = cellar.client()) {
            workload(r);
            workload(c);
            // a rewrite puts the data so far in an RDB base; the writes after it go to the incr file
            for (RespClient side : List.of(r, c)) {
                assertThat(side.call("BGREWRITEAOF")).isInstanceOf(Reply.Simple.class);
                assertThat(PersistenceInfo.awaitRewrite(side)).isEqualTo("ok");
                side.call("INCRBY", "int", "10");
                side.call("LPUSH", "list", "after-rewrite");
                side.call("ZINCRBY", "bigzset", "0.5", "m3");
            }
            redisDigest = digest(r);
            cellarDigest = digest(c);
            assertThat(cellarDigest).isEqualTo(redisDigest);
            copyDir(redis.dir().resolve("appendonlydir"), fromRedis.resolve("appendonlydir"));
        }
        try (ServerFixture cellar = ServerFixture.start("dir", fromRedis.toString(), "appendonly", "yes", "save", "",
                "enable-debug-command", "yes");
                RespClient c = cellar.client()) {
            assertThat(digest(c)).as("Cellar loading redis-server's appendonlydir").isEqualTo(redisDigest);
        }
        try (RedisServerProcess redis = RedisServerProcess.startIn(fromCellar, "--appendonly", "yes");
                RespClient r = redis.client()) {
            assertThat(digest(r)).as("redis-server loading Cellar's appendonlydir").isEqualTo(cellarDigest);
        }
    }
}
