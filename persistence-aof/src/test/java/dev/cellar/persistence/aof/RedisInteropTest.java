package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interop with Debian's redis-server 7.0 in both directions, through a real Cellar engine. */
class RedisInteropTest {
    @TempDir
    Path dir;

    private static Cellar open(Path d) {
        return Cellar.open(CellarConfig.builder().dir(d).persistence("aof").build());
    }

    @Test
    @DisplayName("an appendonlydir written by redis-server 7.0 loads into Cellar with the same data set")
    void redisWritesCellarLoads() throws Exception {
        Map<String, String> expected;
        try (RedisServerProcess redis = RedisServerProcess.startIn(dir, "--appendonly", "yes",
                "--aof-use-rdb-preamble", "no", "--appendfsync", "always", "--aof-timestamp-enabled", "yes")) {
            try (RespClient c = redis.client(StandardCharsets.ISO_8859_1)) {
                Dataset.write(Dataset.redis(c));
            }
            try (RespClient c = redis.client(StandardCharsets.ISO_8859_1)) {
                expected = Dataset.dump(Dataset.redis(c));
            }
            redis.shutdown();
        }
        assertThat(expected).hasSizeGreaterThan(25);
        assertThat(Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1))
                .contains("MULTI");
        try (Cellar cellar = open(dir)) {
            assertThat(Dataset.dump(Dataset.cellar(cellar))).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("an appendonlydir written by Cellar passes redis-check-aof and loads into redis-server 7.0")
    void cellarWritesRedisLoads() throws Exception {
        RedisServerProcess.require("redis-server");
        RedisServerProcess.require("redis-check-aof");
        Map<String, String> expected;
        try (Cellar cellar = open(dir)) {
            Dataset.write(Dataset.cellar(cellar));
            expected = Dataset.dump(Dataset.cellar(cellar));
        }
        Path manifest = dir.resolve("appendonlydir/appendonly.aof.manifest");
        RedisServerProcess.Run check = RedisServerProcess.runTool("redis-check-aof", manifest.toString());
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("All AOF files and manifest are valid");
        try (RedisServerProcess redis = RedisServerProcess.startIn(dir, "--appendonly", "yes")) {
            try (RespClient c = redis.client(StandardCharsets.ISO_8859_1)) {
                assertThat(Dataset.dump(Dataset.redis(c))).isEqualTo(expected);
            }
            redis.shutdown();
        }
    }

    @Test
    @DisplayName("a base written by a Cellar rewrite (HMSET, ZADD with inf, PEXPIREAT) loads into redis-server 7.0")
    void rewrittenBaseLoadsInRedis() throws Exception {
        RedisServerProcess.require("redis-server");
        RedisServerProcess.require("redis-check-aof");
        TestContext ctx = new TestContext(dir);
        AofEngine e = new AofEngine(ctx, AofIo.FILES, null, java.util.List.of());
        Model m = new Model(16);
        e.load(m);
        java.util.function.BiConsumer<Integer, String[]> w = (db, args) ->
                e.write(new dev.cellar.spi.persistence.PropagatedWrite(db, m.write(db, args)));
        w.accept(0, new String[] {"SET", "s", "v"});
        w.accept(0, new String[] {"PEXPIREAT", "s", "4102444800000"});
        w.accept(2, new String[] {"ZADD", "z", "inf", "a", "-inf", "b", "0.1", "c", "1e300", "d"});
        for (int i = 0; i < 130; i++) {
            w.accept(5, new String[] {"HSET", "h", "f" + i, "v" + i});
            w.accept(5, new String[] {"RPUSH", "l", "e" + i});
            w.accept(5, new String[] {"SADD", "set", "m" + i});
        }
        e.flushBatch();
        ctx.snapshots = m::snapshot;
        e.startRewrite();
        e.awaitRewrite(10_000);
        w.accept(0, new String[] {"SET", "after", "1"});
        e.flushBatch();
        e.close();
        RedisServerProcess.Run check = RedisServerProcess.runTool("redis-check-aof",
                dir.resolve("appendonlydir/appendonly.aof.manifest").toString());
        assertThat(check.status()).as(check.output()).isZero();
        try (RedisServerProcess redis = RedisServerProcess.startIn(dir, "--appendonly", "yes")) {
            try (RespClient c = redis.client(StandardCharsets.ISO_8859_1)) {
                Dataset.Store s = Dataset.redis(c);
                assertThat(s.call(0, "GET", "s")).isEqualTo("v");
                assertThat(s.call(0, "PEXPIRETIME", "s")).isEqualTo(4102444800000L);
                assertThat(s.call(0, "GET", "after")).isEqualTo("1");
                assertThat(s.call(2, "ZRANGE", "z", "0", "-1", "WITHSCORES"))
                        .isEqualTo(java.util.List.of("b", "-inf", "c", "0.10000000000000001", "d", "1.0000000000000001e+300", "a", "inf"));
                assertThat(s.call(5, "HLEN", "h")).isEqualTo(130L);
                assertThat(s.call(5, "LLEN", "l")).isEqualTo(130L);
                assertThat(s.call(5, "SCARD", "set")).isEqualTo(130L);
                assertThat(s.call(5, "LINDEX", "l", "129")).isEqualTo("e129");
            }
            redis.shutdown();
        }
    }
}
