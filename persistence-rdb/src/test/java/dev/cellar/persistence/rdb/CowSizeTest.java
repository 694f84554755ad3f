package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Session;
import dev.cellar.spi.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rdb_last_cow_size}: the bytes a BGSAVE's view copied because writes reached keys before
 * its walk did (Redis's copy-on-write size of the child). The writes are made deterministic by
 * holding the engine lock from BGSAVE to the last write: the saving thread walks under that lock,
 * so it cannot have reached any key yet, and every overwrite must be copied.
 */
class CowSizeTest {
    private static final int KEYS = 5_000;
    private static final int OVERWRITTEN = 200;

    @TempDir
    Path dir;

    private CellarEngine open() {
        return new CellarEngine(CellarConfig.builder().set("cellar-persistence", "rdb").set("dir", dir.toString())
                .set("save", "").set("hz", "1").build());
    }

    private static Reply exec(CellarEngine c, Session s, String... argv) {
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return c.execute(s, b);
    }

    private static void fill(CellarEngine cellar, Session s) {
        for (int i = 0; i < KEYS; i++) {
            exec(cellar, s, "SET", "key:" + i, "value:" + i);
        }
        for (int i = 0; i < 100; i++) {
            exec(cellar, s, "HSET", "hash", "field" + i, "v" + i);
        }
    }

    private static Map<String, String> afterBackgroundSave(CellarEngine cellar) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (cellar.persistenceInfo().get("rdb_bgsave_in_progress").equals("1")) {
            assertThat(System.nanoTime()).as("BGSAVE still running after 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
        return cellar.persistenceInfo();
    }

    @Test
    @DisplayName("writes that reach keys before a BGSAVE's walk are counted in rdb_last_cow_size, and a later undisturbed BGSAVE reports 0")
    void overwritesDuringBackgroundSaveAreCounted() throws Exception {
        try (CellarEngine cellar = open()) {
            Session s = cellar.newSession();
            fill(cellar, s);
            assertThat(cellar.persistenceInfo()).containsEntry("rdb_last_cow_size", "0");

            long current = cellar.withLock(() -> {
                assertThat(exec(cellar, s, "BGSAVE")).isEqualTo(new Reply.Simple("Background saving started"));
                for (int i = 0; i < OVERWRITTEN; i++) {
                    exec(cellar, s, "SET", "key:" + i, "changed");
                }
                exec(cellar, s, "HSET", "hash", "field0", "changed");
                exec(cellar, s, "SET", "new-key", "born after the view: nothing to copy");
                return Long.parseLong(cellar.persistenceInfo().get("current_cow_size"));
            });
            Map<String, String> info = afterBackgroundSave(cellar);
            assertThat(info).containsEntry("rdb_last_bgsave_status", "ok");
            long cow = Long.parseLong(info.get("rdb_last_cow_size"));
            // at least the overwritten keys' names, and the hash's 100 fields and values
            long atLeast = OVERWRITTEN * "key:0".length() + 100 * ("field0".length() + "v0".length());
            assertThat(current).as("current_cow_size while the save runs").isGreaterThanOrEqualTo(atLeast);
            assertThat(cow).as("rdb_last_cow_size").isEqualTo(current);
            assertThat(cow).as("a small part of the data set").isLessThan(cellar.withLock(() -> cellar.engine().usedMemory()) / 10);
            assertThat(info).containsEntry("current_cow_size", "0");

            // the saved file holds the values of the instant, not the overwrites
            try (CellarEngine reopened = open()) {
                assertThat(reopened.execute(0, bytes("GET"), bytes("key:0"))).isEqualTo(Reply.bulk("value:0"));
                assertThat(reopened.execute(0, bytes("HGET"), bytes("hash"), bytes("field0"))).isEqualTo(Reply.bulk("v0"));
                assertThat(reopened.execute(0, bytes("EXISTS"), bytes("new-key"))).isEqualTo(Reply.ZERO);
            }

            assertThat(exec(cellar, s, "BGSAVE")).isEqualTo(new Reply.Simple("Background saving started"));
            assertThat(afterBackgroundSave(cellar)).containsEntry("rdb_last_bgsave_status", "ok")
                    .containsEntry("rdb_last_cow_size", "0");
        }
    }

    @Test
    @DisplayName("a view taken for something other than BGSAVE (an AOF rewrite's) reports its copies itself and leaves rdb_last_cow_size alone")
    void anotherViewDoesNotChangeRdbCowSize() {
        try (CellarEngine cellar = open()) {
            Session s = cellar.newSession();
            fill(cellar, s);
            PersistenceContext.SnapshotHandle handle = cellar.withLock(() -> {
                PersistenceContext.SnapshotHandle h = cellar.persistence().snapshot();
                for (int i = 0; i < OVERWRITTEN; i++) {
                    exec(cellar, s, "DEL", "key:" + i);
                }
                return h;
            });
            long open = handle.copiedBytes();
            assertThat(open).isGreaterThanOrEqualTo(OVERWRITTEN * "key:0".length());
            assertThat(cellar.persistenceInfo()).containsEntry("current_cow_size", Long.toString(open));
            AtomicLong entries = new AtomicLong();
            handle.view().forEach(0, (key, value, expireAt, idle, freq) -> entries.incrementAndGet());
            // after the walk, writes find every key visited: nothing more is copied
            exec(cellar, s, "SET", "key:4999", "after the walk");
            handle.close();
            assertThat(entries.get()).as("the deleted keys are still in the view").isEqualTo(KEYS + 1);
            assertThat(handle.copiedBytes()).as("still readable after close").isEqualTo(open);
            assertThat(cellar.persistenceInfo()).containsEntry("rdb_last_cow_size", "0").containsEntry("current_cow_size", "0");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
