package dev.cellar.persistence.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.api.Cellar;
import dev.cellar.api.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, start-up order: {@code appendonly yes}, no AOF yet, a {@code dump.rdb} in the directory.
 * Redis 7.0 starts empty there and the next rewrite loses the snapshot's data; Cellar makes the
 * snapshot the first base.
 */
class StartFromDumpTest {
    @TempDir
    Path dir;

    private Path aofDir() {
        return dir.resolve("appendonlydir");
    }

    /** Writes a data set with the rdb provider (SAVE) and returns it. */
    private Map<String, String> writeDump(String dbfilename) {
        Map<String, String> expected;
        try (Cellar store = Stores.open(dir, "rdb", "dbfilename", dbfilename, "save", "")) {
            Workload.beforeRewrite(Stores.on(store));
            store.execute(3, "SET", "in-db-3", "v");
            assertThat(store.execute(0, "SAVE")).isEqualTo(new Reply.Simple("OK"));
            expected = Stores.dump(Stores.on(store));
        }
        assertThat(dir.resolve(dbfilename)).isRegularFile();
        assertThat(expected).isNotEmpty();
        return expected;
    }

    @Test
    @DisplayName("hybrid: dump.rdb is copied as the first RDB base and its data is there, also after writes and a restart")
    void hybridCopiesTheDumpAsTheFirstBase() throws IOException {
        Map<String, String> expected = writeDump("dump.rdb");
        byte[] dump = Files.readAllBytes(dir.resolve("dump.rdb"));
        try (Cellar store = Stores.open(dir, "hybrid")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set at first start");
            store.execute(0, "SET", "after", "1");
            expected = Stores.dump(Stores.on(store));
        }
        assertThat(Stores.names(aofDir())).containsExactly(
                "appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof", "appendonly.aof.manifest");
        assertThat(Files.readAllBytes(aofDir().resolve("appendonly.aof.1.base.rdb"))).isEqualTo(dump);
        assertThat(Files.readString(aofDir().resolve("appendonly.aof.manifest"))).isEqualTo(
                "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        // The dump is no longer what is loaded: removing it changes nothing.
        Files.delete(dir.resolve("dump.rdb"));
        try (Cellar store = Stores.open(dir, "hybrid")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after restart");
            assertThat(store.execute(0, "GET", "after")).isEqualTo(new Reply.Bulk("1".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    @DisplayName("hybrid: the snapshot named by dbfilename is the one used")
    void dbfilenameIsHonoured() throws IOException {
        Map<String, String> expected = writeDump("other.rdb");
        try (Cellar store = Stores.open(dir, "hybrid", "dbfilename", "other.rdb")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set at first start");
        }
        try (Cellar store = Stores.open(dir, "hybrid", "dbfilename", "other.rdb")) {
            Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, "the data set after restart");
        }
    }

    @Test
    @DisplayName("RESP bases (aof provider, hybrid with aof-use-rdb-preamble no): dump.rdb loads through the RDB format and the first base is written from it")
    void respBaseIsWrittenFromTheLoadedDump() throws IOException {
        for (String[] how : new String[][] {{"aof"}, {"hybrid", "aof-use-rdb-preamble", "no"}}) {
            Path sub = dir.resolve(how[0] + how.length);
            Files.createDirectories(sub);
            Map<String, String> expected;
            try (Cellar store = Stores.open(sub, "rdb", "save", "")) {
                Workload.beforeRewrite(Stores.on(store));
                store.execute(0, "SAVE");
                expected = Stores.dump(Stores.on(store));
            }
            String[] settings = java.util.Arrays.copyOfRange(how, 1, how.length);
            try (Cellar store = Stores.open(sub, how[0], settings)) {
                Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, how[0] + ": first start");
            }
            Path ad = sub.resolve("appendonlydir");
            assertThat(Stores.names(ad)).containsExactly(
                    "appendonly.aof.1.base.aof", "appendonly.aof.1.incr.aof", "appendonly.aof.manifest");
            assertThat(Files.readString(ad.resolve("appendonly.aof.1.base.aof"), StandardCharsets.ISO_8859_1))
                    .startsWith("*");
            Files.delete(sub.resolve("dump.rdb"));
            try (Cellar store = Stores.open(sub, how[0], settings)) {
                Stores.assertSameDataSet(Stores.dump(Stores.on(store)), expected, how[0] + ": after restart");
            }
        }
    }

    @Test
    @DisplayName("a snapshot that no installed format reads stops the start, naming the file, instead of starting empty")
    void unreadableDumpRefusesToStart() throws IOException {
        Files.writeString(dir.resolve("dump.rdb"), "not a snapshot at all");
        assertThatThrownBy(() -> Stores.open(dir, "aof").close())
                .hasMessageContaining("dump.rdb")
                .hasMessageContaining("refusing to start");
        assertThat(aofDir().resolve("appendonly.aof.manifest")).doesNotExist();
    }

    @Test
    @DisplayName("a dump.rdb that fails to load leaves no manifest, so the next start tries it again")
    void corruptDumpLeavesNoManifest() throws IOException {
        writeDump("dump.rdb");
        Path dump = dir.resolve("dump.rdb");
        byte[] b = Files.readAllBytes(dump);
        Files.write(dump, java.util.Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> Stores.open(dir, "hybrid").close()).hasMessageContaining("appendonly.aof.1.base.rdb");
        assertThat(aofDir().resolve("appendonly.aof.manifest")).doesNotExist();
    }
}
