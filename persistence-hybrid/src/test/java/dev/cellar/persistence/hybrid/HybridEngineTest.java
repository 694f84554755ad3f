package dev.cellar.persistence.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.testing.ManualClock;
import dev.cellar.persistence.rdb.RdbReader;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hybrid provider on a real engine: the files it writes and what comes back from them. */
class HybridEngineTest {
    @TempDir
    Path dir;

    private Path aofDir() {
        return dir.resolve("appendonlydir");
    }

    private static String text(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }

    /** The AUX fields of an RDB file, read with the RDB module's reader. */
    private static Map<String, String> aux(Path rdb) throws IOException {
        return new RdbReader(RdbReader.Options.defaults().withDropExpired(false)).read(rdb, IGNORE).aux();
    }

    private static final LoadSink IGNORE = new LoadSink() {
        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {}

        @Override
        public String replay(int db, byte[][] argv) {
            return null;
        }
    };

    @Test
    @DisplayName("the first start writes an RDB base (aof-base 1, empty data set) and an empty incr file, as Redis 7.0 does")
    void firstStartWritesAnRdbBase() throws IOException {
        try (Cellar store = Cellar.open(CellarConfig.builder().dir(dir).persistence("hybrid").build())) {
            assertThat(store.execute(0, "DBSIZE")).isEqualTo(new Reply.Int(0));
        }
        assertThat(Stores.names(aofDir())).containsExactly(
                "appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof", "appendonly.aof.manifest");
        assertThat(text(aofDir().resolve("appendonly.aof.manifest"))).isEqualTo(
                "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        Path base = aofDir().resolve("appendonly.aof.1.base.rdb");
        assertThat(text(base)).startsWith("REDIS0010");
        assertThat(aux(base)).containsEntry("aof-base", "1").containsKey("redis-ver");
        assertThat(Files.size(aofDir().resolve("appendonly.aof.1.incr.aof"))).isZero();
    }

    @Test
    @DisplayName("writes go to the incr file as RESP and come back after reopening")
    void writesSurviveReopening() {
        Map<String, String> expected;
        try (Cellar store = Cellar.open(CellarConfig.builder().dir(dir).persistence("hybrid").build())) {
            Workload.beforeRewrite(Stores.on(store));
            Workload.afterRewrite(Stores.on(store));
            expected = Stores.dump(Stores.on(store));
        }
        try (Cellar store = Cellar.open(CellarConfig.builder().dir(dir).persistence("hybrid").build())) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after reopening");
        }
    }

    @Test
    @DisplayName("a rewrite writes the base as appendonly.aof.2.base.rdb; the base plus the new incr file give the data set back")
    void rewriteWritesAnRdbBase() throws Exception {
        Map<String, String> expected;
        try (Cellar store = Stores.open(dir, ProbeProvider.NAME)) {
            Workload.beforeRewrite(Stores.on(store));
            ProbeProvider.rewrite(dir);
            Workload.afterRewrite(Stores.on(store));
            expected = Stores.dump(Stores.on(store));
        }
        assertThat(Stores.names(aofDir())).containsExactly(
                "appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest");
        Path base = aofDir().resolve("appendonly.aof.2.base.rdb");
        assertThat(aux(base)).containsEntry("aof-base", "1");
        assertThat(text(aofDir().resolve("appendonly.aof.2.incr.aof"))).contains("after-rewrite").doesNotContain("list:big");
        try (Cellar store = Stores.open(dir, "hybrid")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after reopening");
        }
    }

    @Test
    @DisplayName("with aof-use-rdb-preamble no, the bases are RESP (.base.aof) and load back the same")
    void preambleOffWritesRespBases() throws Exception {
        Map<String, String> expected;
        try (Cellar store = Stores.open(dir, ProbeProvider.NAME, "aof-use-rdb-preamble", "no")) {
            Workload.beforeRewrite(Stores.on(store));
            ProbeProvider.rewrite(dir);
            Workload.afterRewrite(Stores.on(store));
            expected = Stores.dump(Stores.on(store));
        }
        assertThat(Stores.names(aofDir())).containsExactly(
                "appendonly.aof.2.base.aof", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest");
        assertThat(text(aofDir().resolve("appendonly.aof.2.base.aof"))).startsWith("*2\r\n$6\r\nSELECT\r\n");
        try (Cellar store = Stores.open(dir, "hybrid", "aof-use-rdb-preamble", "no")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after reopening");
        }
    }

    @Test
    @DisplayName("switching aof-use-rdb-preamble between runs: either kind of base loads, and the next rewrite writes the new kind")
    void switchingThePreambleSetting() throws Exception {
        Map<String, String> expected;
        try (Cellar store = Stores.open(dir, ProbeProvider.NAME, "aof-use-rdb-preamble", "no")) {
            Workload.beforeRewrite(Stores.on(store));
            ProbeProvider.rewrite(dir);
        }
        try (Cellar store = Stores.open(dir, ProbeProvider.NAME, "aof-use-rdb-preamble", "yes")) {
            Workload.afterRewrite(Stores.on(store));
            ProbeProvider.rewrite(dir);
            expected = Stores.dump(Stores.on(store));
        }
        assertThat(Stores.names(aofDir())).contains("appendonly.aof.3.base.rdb").doesNotContain("appendonly.aof.2.base.aof");
        try (Cellar store = Stores.open(dir, "hybrid", "aof-use-rdb-preamble", "no")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after reopening");
        }
    }

    @Test
    @DisplayName("a key in the base whose expiry passed while the store was closed is loaded, so a later PERSIST in the incr file keeps it (as Redis 7.0)")
    void expiredKeyInTheBaseMeetsItsPersist() throws Exception {
        ManualClock clock = new ManualClock(1_800_000_000_000L);
        CellarConfig config = CellarConfig.builder().dir(dir).persistence(ProbeProvider.NAME).clock(clock).build();
        try (Cellar store = new CellarEngine(config, Stores.registryWithPersistenceNames())) {
            store.execute(0, "SET", "kept", "v", "PXAT", Long.toString(clock.currentTimeMillis() + 1_000));
            store.execute(0, "SET", "gone", "v", "PXAT", Long.toString(clock.currentTimeMillis() + 1_000));
            ProbeProvider.rewrite(dir);
            assertThat(store.execute(0, "PERSIST", "kept")).isEqualTo(new Reply.Int(1));
        }
        clock.advance(60_000);
        try (Cellar store = new CellarEngine(config, Stores.registryWithPersistenceNames())) {
            assertThat(store.execute(0, "GET", "kept")).isEqualTo(new Reply.Bulk("v".getBytes(StandardCharsets.UTF_8)));
            assertThat(store.execute(0, "PTTL", "kept")).isEqualTo(new Reply.Int(-1));
            assertThat(store.execute(0, "EXISTS", "gone")).isEqualTo(new Reply.Int(0));
        }
    }

    @Test
    @DisplayName("a corrupt RDB base is refused at open with the file and the offset named")
    void corruptBaseRefused() throws Exception {
        try (Cellar store = Stores.open(dir, ProbeProvider.NAME)) {
            Workload.beforeRewrite(Stores.on(store));
            ProbeProvider.rewrite(dir);
        }
        Path base = aofDir().resolve("appendonly.aof.2.base.rdb");
        byte[] bytes = Files.readAllBytes(base);
        bytes[bytes.length - 3] ^= 0x01; // inside the CRC64
        Files.write(base, bytes);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Stores.open(dir, "hybrid").close());
        assertThat(t).isNotNull();
        assertThat(t.getMessage()).contains(base.toString()).contains("at offset " + (bytes.length - 8))
                .contains("checksum");
        assertThat(Files.readAllBytes(base)).isEqualTo(bytes);
        List<String> left = Stores.names(aofDir());
        assertThat(left).contains("appendonly.aof.2.base.rdb");
    }
}
