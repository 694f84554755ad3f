package dev.cellar.persistence.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SAVE while a log rewrite holds the point-in-time view: Redis saves in the foreground beside its
 * rewriting child; Cellar's SAVE, which holds the engine while it writes, reads the live data set,
 * so it needs no view of its own. The rewrite, held back here by keeping the engine lock, still
 * finishes with its own point in time.
 */
class SaveBesideRewriteTest {
    @TempDir
    Path dir;

    private Cellar open(String appendonly) {
        return Stores.open(dir, "rdb", "save", "", "appendonly", appendonly, "appendfsync", "always");
    }

    private static Map<String, String> info(Cellar store) {
        return Stores.info(store);
    }

    @Test
    void saveDuringARewriteWritesTheLiveDataSetAndTheRewriteStillFinishes() throws Exception {
        try (Cellar store = open("yes")) {
            List<String> mset = new ArrayList<>(List.of("MSET"));
            for (int i = 0; i < 5000; i++) {
                mset.add("k" + i);
                mset.add("v" + i);
            }
            store.execute(0, mset.toArray(String[]::new));
            CellarEngine engine = (CellarEngine) store;
            Reply[] replies = engine.withLock(() -> {
                // The rewrite's walk needs the lock for each slice: while this thread keeps it, the
                // rewrite's view stays open.
                Reply rewrite = store.execute(0, "BGREWRITEAOF");
                String during = info(store).get("aof_rewrite_in_progress");
                store.execute(0, "SET", "during", "yes");
                store.execute(0, "DEL", "k0");
                Reply save = store.execute(0, "SAVE");
                return new Reply[] {rewrite, Reply.bulk(during), save};
            });
            assertThat(replies[0]).isEqualTo(new Reply.Simple("Background append only file rewriting started"));
            assertThat(replies[1]).isEqualTo(Reply.bulk("1"));
            assertThat(replies[2]).isEqualTo(Reply.OK);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (info(store).get("aof_rewrite_in_progress").equals("1") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(info(store)).containsEntry("aof_last_bgrewrite_status", "ok").containsEntry("aof_rewrites", "1")
                    .containsEntry("rdb_changes_since_last_save", "0");
        }
        // the log, replayed: everything
        try (Cellar store = open("yes")) {
            assertThat(store.execute(0, "GET", "during")).isEqualTo(Reply.bulk("yes"));
            assertThat(store.execute(0, "EXISTS", "k0")).isEqualTo(Reply.ZERO);
            assertThat(store.execute(0, "DBSIZE")).isEqualTo(Reply.of(5000));
        }
        // dump.rdb alone: the data set at the SAVE, including what changed during the rewrite
        Files.delete(dir.resolve("appendonlydir/appendonly.aof.manifest"));
        try (Cellar store = open("no")) {
            assertThat(store.execute(0, "GET", "during")).isEqualTo(Reply.bulk("yes"));
            assertThat(store.execute(0, "EXISTS", "k0")).isEqualTo(Reply.ZERO);
            assertThat(store.execute(0, "GET", "k4999")).isEqualTo(Reply.bulk("v4999"));
            assertThat(store.execute(0, "DBSIZE")).isEqualTo(Reply.of(5000));
        }
    }
}
