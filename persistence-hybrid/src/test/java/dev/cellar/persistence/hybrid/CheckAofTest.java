package dev.cellar.persistence.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RedisServerProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check-aof ({@code dev.cellar.persistence.aof.AofCheck}) checks an RDB preamble through this
 * module's format, found by {@link java.util.ServiceLoader}: run as a user runs it, in its own JVM
 * with this module on the class path; the verdicts match redis-check-aof's.
 */
class CheckAofTest {
    @TempDir
    Path tmp;

    private static Run checkAof(Path file) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return RedisServerProcess.run(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.cellar.persistence.aof.AofCheck", file.toString());
    }

    private Path legacy(String name, int corruptAt, int value) throws IOException {
        Stores.copyResource("redis", tmp.resolve("src-" + name), "rdb-preamble.aof");
        byte[] bytes = Files.readAllBytes(tmp.resolve("src-" + name).resolve("rdb-preamble.aof"));
        if (corruptAt >= 0) {
            bytes[corruptAt] = (byte) value;
        }
        Path file = tmp.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    @DisplayName("the Redis 7.0 multi-part AOF with an RDB base is valid, as redis-check-aof says")
    void multiPartWithRdbBase() throws Exception {
        Path dir = tmp.resolve("appendonlydir");
        Stores.copyResource("redis/appendonlydir-preamble", dir, RedisFixturesTest.PREAMBLE_DIR);
        Run run = checkAof(dir.resolve("appendonly.aof.manifest"));
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("Start to check BASE AOF (RDB format).")
                .contains("BASE AOF appendonly.aof.2.base.rdb is valid")
                .contains("INCR AOF appendonly.aof.2.incr.aof is valid")
                .contains("All AOF files and manifest are valid");
        Run redis = RedisServerProcess.runTool("redis-check-aof", dir.resolve("appendonly.aof.manifest").toString());
        assertThat(redis.status()).as(redis.output()).isZero();
    }

    @Test
    @DisplayName("a legacy AOF with an RDB preamble: the preamble is OK, then the RESP tail is checked")
    void legacyPreamble() throws Exception {
        Run run = checkAof(legacy("ok.aof", -1, 0));
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("Start checking Old-Style AOF")
                .contains("The AOF appears to start with an RDB preamble.")
                .contains("RDB preamble is OK, proceeding with AOF tail...")
                .contains("AOF analyzed: filename=", "size=169, ok_up_to=169")
                .contains("is valid");
    }

    @Test
    @DisplayName("a preamble with an unknown value type is not sane: the offset and what was expected are named, exit status 1")
    void corruptPreambleNamesTheOffset() throws Exception {
        Path bad = legacy("bad-type.aof", 94, 31); // the type byte of key k2
        Run run = checkAof(bad);
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("RDB preamble of AOF file is not sane, aborting")
                .contains("at offset 94").contains("unknown opcode or value type 31");
        assertThat(RedisServerProcess.runTool("redis-check-aof", bad.toString()).status()).isEqualTo(1);
    }

    @Test
    @DisplayName("a preamble whose checksum does not match is not sane: the checksum's offset is named, exit status 1")
    void wrongChecksum() throws Exception {
        Path bad = legacy("bad-crc.aof", 0x6a, 'X'); // inside value v1
        Run run = checkAof(bad);
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("RDB preamble of AOF file is not sane, aborting")
                .contains("at offset 109").contains("wrong RDB checksum");
        Run redis = RedisServerProcess.runTool("redis-check-aof", bad.toString());
        assertThat(redis.status()).isEqualTo(1);
        assertThat(redis.output()).contains("RDB CRC error");
    }

    @Test
    @DisplayName("a multi-part AOF written by Cellar with an RDB base passes check-aof")
    void cellarWrittenDirectory() throws Exception {
        Path dir = tmp.resolve("store");
        try (var store = Stores.open(dir, ProbeProvider.NAME)) {
            Workload.beforeRewrite(Stores.on(store));
            ProbeProvider.rewrite(dir);
            Workload.afterRewrite(Stores.on(store));
        }
        Run run = checkAof(dir.resolve("appendonlydir/appendonly.aof.manifest"));
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("Start to check BASE AOF (RDB format).")
                .contains("All AOF files and manifest are valid");
        assertThat(List.of(run.output().split("\n"))).noneMatch(l -> l.contains("not valid"));
    }
}
