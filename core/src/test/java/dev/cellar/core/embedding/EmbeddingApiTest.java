package dev.cellar.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.CellarException;
import dev.cellar.api.Database;
import dev.cellar.api.Reply;
import dev.cellar.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedding API as a Java program meets it: Cellar.open, databases, typed methods, execute. */
class EmbeddingApiTest {

    @Test
    void typedMethodsCoverEachValueType() {
        try (Cellar cellar = Cellar.open(CellarConfig.defaults())) {
            Database db = cellar.database(0);
            db.set("s", "hello");
            assertThat(db.get("s")).contains("hello");
            assertThat(db.incrBy("n", 5)).isEqualTo(5);
            assertThat(db.rpush("l", "a", "b")).isEqualTo(2);
            assertThat(db.lpush("l", "z")).isEqualTo(3);
            assertThat(db.lrange("l", 0, -1)).containsExactly("z", "a", "b");
            assertThat(db.lpop("l")).contains("z");
            assertThat(db.hset("h", "f", "v")).isTrue();
            assertThat(db.hgetAll("h")).isEqualTo(Map.of("f", "v"));
            assertThat(db.sadd("set", "x", "y", "x")).isEqualTo(2);
            assertThat(db.smembers("set")).containsExactlyInAnyOrder("x", "y");
            assertThat(db.zadd("z", 1.5, "m")).isTrue();
            assertThat(db.zscore("z", "m")).contains(1.5);
            assertThat(db.zadd("z", Double.NEGATIVE_INFINITY, "low")).isTrue();
            assertThat(db.zrange("z", 0, -1)).containsExactly("low", "m");
            assertThat(db.type("h")).isEqualTo("hash");
            assertThat(db.size()).isEqualTo(6);
            assertThat(db.del("s", "missing")).isEqualTo(1);
        }
    }

    @Test
    void errorsAreThrownByTypedMethodsAndReturnedByExecute() {
        try (Cellar cellar = Cellar.open(CellarConfig.defaults())) {
            Database db = cellar.database(0);
            db.set("s", "text");
            assertThatThrownBy(() -> db.lpush("s", "x")).isInstanceOf(CellarException.class)
                    .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
            assertThat(cellar.execute(0, "INCR", "s"))
                    .isEqualTo(Reply.error("ERR value is not an integer or out of range"));
        }
    }

    @Test
    void databasesAreSeparateAndIndexesAreChecked() {
        try (Cellar cellar = Cellar.open(CellarConfig.builder().databases(4).build())) {
            cellar.database(3).set("k", "three");
            assertThat(cellar.database(0).get("k")).isEmpty();
            assertThat(cellar.database(3).get("k")).contains("three");
            assertThatThrownBy(() -> cellar.database(4)).hasMessageContaining("expected: 0 to 3");
        }
    }

    @Test
    void anUnknownSettingStopsTheStoreNamingIt() {
        assertThatThrownBy(() -> Cellar.open(CellarConfig.builder().set("maxmemory-policy", "sometimes").build()))
                .hasMessageContaining("maxmemory-policy").hasMessageContaining("sometimes");
        assertThatThrownBy(() -> Cellar.open(CellarConfig.builder().set("no-such-setting", "1").build()))
                .hasMessageContaining("no-such-setting");
    }

    @Test
    void expiryFollowsTheInjectedClock() {
        ManualClock clock = new ManualClock();
        try (Cellar cellar = Cellar.open(CellarConfig.builder().clock(clock).build())) {
            Database db = cellar.database(0);
            db.set("k", "v", 1000);
            assertThat(db.ttlMillis("k")).isEqualTo(1000);
            clock.advance(999);
            assertThat(db.exists("k")).isTrue();
            clock.advance(1);
            assertThat(db.exists("k")).isFalse();
            assertThat(db.ttlMillis("k")).isEqualTo(-2);
        }
    }

    @Test
    void aBlockingPopWaitsForAPushFromAnotherThread() throws Exception {
        try (Cellar cellar = Cellar.open(CellarConfig.defaults())) {
            CompletableFuture<Reply> popped = CompletableFuture.supplyAsync(() -> cellar.execute(0, "BLPOP", "q", "5"));
            Thread.sleep(100);
            assertThat(popped).isNotDone();
            cellar.database(0).rpush("q", "job");
            assertThat(popped.get(5, TimeUnit.SECONDS))
                    .isEqualTo(Reply.array(List.of(Reply.bulk("q"), Reply.bulk("job"))));
        }
    }

    @Test
    void aTransactionRunsThroughPipeline() {
        try (Cellar cellar = Cellar.open(CellarConfig.defaults())) {
            List<byte[][]> commands = new ArrayList<>();
            for (String[] c : new String[][] {{"MULTI"}, {"INCR", "n"}, {"INCR", "n"}, {"EXEC"}}) {
                byte[][] argv = new byte[c.length][];
                for (int i = 0; i < c.length; i++) {
                    argv[i] = c[i].getBytes(StandardCharsets.UTF_8);
                }
                commands.add(argv);
            }
            List<Reply> replies = cellar.pipeline(0, commands);
            assertThat(replies.get(3)).isEqualTo(Reply.array(List.of(Reply.of(1), Reply.of(2))));
        }
    }

    @Test
    void manyThreadsIncrementWithoutLosingUpdates() throws Exception {
        try (Cellar cellar = Cellar.open(CellarConfig.defaults())) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 5000; i++) {
                        cellar.database(0).incrBy("counter", 1);
                    }
                }, pool));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(cellar.database(0).get("counter")).contains("40000");
        }
    }
}
