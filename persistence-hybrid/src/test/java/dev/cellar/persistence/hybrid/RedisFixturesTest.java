package dev.cellar.persistence.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.testing.ManualClock;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by the real Redis (see {@code src/test/resources/redis/README.md}) load into a
 * real Cellar engine with the data set the README describes, key for key the data set redis-server
 * 7.0 itself loads from a copy of the same files.
 */
class RedisFixturesTest {
    static final String[] PREAMBLE_DIR = {"appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"};

    @TempDir
    Path tmp;

    private static Cellar openHybrid(Path dir) {
        return Cellar.open(CellarConfig.builder().dir(dir).persistence("hybrid").build());
    }

    private static Reply call(Cellar store, int db, String... argv) {
        return store.execute(db, argv);
    }

    private static Reply bulk(String s) {
        return new Reply.Bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Drops the keys whose expiry is within a minute of now from a dump: the fixture has a few, and
     * whether they are still there depends on the second each store was read.
     */
    static Map<String, String> settled(Map<String, String> dump) {
        long now = System.currentTimeMillis();
        Map<String, String> out = new TreeMap<>();
        dump.forEach((k, v) -> {
            int at = v.lastIndexOf(" expire=");
            String ttl = v.substring(at + " expire=".length()).replaceAll("[^0-9-]", "");
            long t = ttl.isEmpty() ? -1 : Long.parseLong(ttl);
            if (t < 0 || Math.abs(t - now) > 60_000) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    @DisplayName("Redis 7.0's appendonlydir with an RDB base and an incr file loads: expired ttl:* keys gone, the writes after the rewrite applied, same data set as redis-server")
    void redis7PreambleDirectory() throws Exception {
        Path cellarDir = tmp.resolve("cellar");
        Stores.copyResource("redis/appendonlydir-preamble", cellarDir.resolve("appendonlydir"), PREAMBLE_DIR);
        // What the fixture README says, on a clock past every ttl:* expiry (2027-01-01; the last of
        // them, ttl:hash, expires at Unix time 1795275036106 ms).
        Path laterDir = tmp.resolve("later");
        Stores.copyResource("redis/appendonlydir-preamble", laterDir.resolve("appendonlydir"), PREAMBLE_DIR);
        try (Cellar store = Cellar.open(CellarConfig.builder().dir(laterDir).persistence("hybrid")
                .clock(new ManualClock(1_798_761_600_000L)).build())) {
            Map<String, String> later = Stores.dump(Stores.on(store));
            assertThat(later.keySet()).noneMatch(k -> k.contains(":ttl:"));
            assertThat(later.keySet()).allMatch(k -> k.startsWith("0:") || k.startsWith("3:") || k.startsWith("15:"));
            assertThat(later.keySet()).anyMatch(k -> k.startsWith("0:far:"));
            later.forEach((k, v) -> {
                if (k.startsWith("0:far:")) {
                    assertThat(v).as(k).endsWith("expire=Int[value=4102444800000]");
                }
            });
            assertThat(call(store, 0, "GET", "after-rewrite")).isEqualTo(bulk("1"));
            assertThat(call(store, 0, "GET", "counter")).isEqualTo(bulk("41"));
            assertThat(call(store, 0, "LINDEX", "list:small", "-1")).isEqualTo(bulk("tail"));
            assertThat(call(store, 0, "EXISTS", "s:0:5")).isEqualTo(new Reply.Int(0));
            assertThat(call(store, 0, "PEXPIRETIME", "s:0:6")).isEqualTo(new Reply.Int(4102444800000L));
            assertThat(call(store, 3, "DBSIZE")).isNotEqualTo(new Reply.Int(0));
            assertThat(call(store, 15, "DBSIZE")).isNotEqualTo(new Reply.Int(0));
            assertThat(later).hasSizeGreaterThan(600);
        }

        // Key for key what redis-server loads from the same files, both read now.
        Map<String, String> cellar;
        try (Cellar store = openHybrid(cellarDir)) {
            cellar = Stores.dump(Stores.on(store));
        }

        Path redisDir = tmp.resolve("redis");
        Stores.copyResource("redis/appendonlydir-preamble", redisDir.resolve("appendonlydir"), PREAMBLE_DIR);
        Map<String, String> redis;
        try (RedisServerProcess server = RedisServerProcess.startIn(redisDir, "--appendonly", "yes");
             RespClient c = server.client()) {
            redis = Stores.dump(Stores.on(c));
        }
        Stores.assertSameDataSet(settled(cellar), settled(redis), "Cellar against redis-server");
    }

    @Test
    @DisplayName("a legacy single-file AOF with an RDB preamble loads (RDB keys and the RESP tail) and is moved into appendonlydir as Redis 7.0 does")
    void legacyPreambleFileIsUpgraded() throws Exception {
        Path cellarDir = tmp.resolve("cellar");
        Stores.copyResource("redis", cellarDir, "rdb-preamble.aof");
        Files.move(cellarDir.resolve("rdb-preamble.aof"), cellarDir.resolve("appendonly.aof"));
        Map<String, String> cellar;
        try (Cellar store = openHybrid(cellarDir)) {
            cellar = Stores.dump(Stores.on(store));
            assertThat(call(store, 0, "GET", "k1")).isEqualTo(bulk("v1"));
            assertThat(call(store, 0, "GET", "k2")).isEqualTo(bulk("v2"));
            assertThat(call(store, 0, "GET", "k3")).isEqualTo(bulk("v3"));
            assertThat(call(store, 0, "DBSIZE")).isEqualTo(new Reply.Int(3));
        }

        Path redisDir = tmp.resolve("redis");
        Stores.copyResource("redis", redisDir, "rdb-preamble.aof");
        Files.move(redisDir.resolve("rdb-preamble.aof"), redisDir.resolve("appendonly.aof"));
        Map<String, String> redis;
        try (RedisServerProcess server = RedisServerProcess.startIn(redisDir, "--appendonly", "yes")) {
            try (RespClient c = server.client()) {
                redis = Stores.dump(Stores.on(c));
            }
            server.shutdown();
        }
        Stores.assertSameDataSet(cellar, redis, "Cellar against redis-server");
        assertThat(Stores.names(cellarDir.resolve("appendonlydir")))
                .isEqualTo(Stores.names(redisDir.resolve("appendonlydir")))
                .containsExactly("appendonly.aof", "appendonly.aof.1.incr.aof", "appendonly.aof.manifest");
        assertThat(read(cellarDir.resolve("appendonlydir/appendonly.aof.manifest")))
                .isEqualTo(read(redisDir.resolve("appendonlydir/appendonly.aof.manifest")));
        assertThat(cellarDir.resolve("appendonly.aof")).doesNotExist();

        // The upgraded directory opens again, from its manifest.
        try (Cellar store = openHybrid(cellarDir)) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), cellar, "the data set after reopening");
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }
}
