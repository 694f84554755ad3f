package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.SnapshotView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves replace the file in the order they started: a background save that ends after a later
 * foreground one (FLUSHALL saves the empty data set while a BGSAVE still writes) must not put its
 * older data back.
 */
class SaveOrderTest {
    @TempDir
    Path dir;

    /** A context whose next view holds {@code keys} and, when {@code hold} is set, waits on it before the walk. */
    private final class Context implements PersistenceContext {
        volatile List<String> keys = List.of();
        volatile CountDownLatch hold;
        final CountDownLatch walking = new CountDownLatch(1);

        @Override
        public CellarConfig config() {
            return CellarConfig.builder().dir(dir).build();
        }

        @Override
        public Path dir() {
            return dir;
        }

        @Override
        public int databases() {
            return 16;
        }

        @Override
        public CellarClock clock() {
            return CellarClock.SYSTEM;
        }

        @Override
        public SnapshotHandle snapshot() {
            List<String> names = keys;
            CountDownLatch latch = hold;
            SnapshotView view = new SnapshotView() {
                public int databases() { return 16; }
                public long size(int db) { return db == 0 ? names.size() : 0; }
                public long expiresSize(int db) { return 0; }
                public void forEach(int db, EntryVisitor v) {
                    if (db != 0) {
                        return;
                    }
                    if (latch != null) {
                        walking.countDown();
                        try {
                            latch.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    for (String k : names) {
                        DataValue.StringData value = new DataValue.StringData() {
                            public String encoding() { return "embstr"; }
                            public byte[] bytes() { return "v".getBytes(StandardCharsets.US_ASCII); }
                        };
                        v.entry(k.getBytes(StandardCharsets.US_ASCII), value, -1, -1, -1);
                    }
                }
            };
            return new SnapshotHandle() {
                public SnapshotView view() { return view; }
                public void close() {}
            };
        }
    }

    private List<String> keysOnDisk() throws Exception {
        List<String> found = new ArrayList<>();
        new RdbReader(RdbReader.Options.defaults()).read(dir.resolve("dump.rdb"), new LoadSink() {
            @Override
            public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
                found.add(new String(key, StandardCharsets.US_ASCII));
            }

            @Override
            public String replay(int db, byte[][] argv) {
                return null;
            }
        });
        return found;
    }

    @Test
    @DisplayName("a background save that finishes after a later foreground save is dropped, and the later file stays")
    void laterSaveWins() throws Exception {
        Context ctx = new Context();
        RdbPersistenceEngine engine = new RdbPersistenceEngine(ctx, RdbFiles.DEFAULT);
        try {
            ctx.keys = List.of("old:1", "old:2");
            CountDownLatch backgroundHeld = new CountDownLatch(1);
            ctx.hold = backgroundHeld;
            CompletableFuture<Void> background = engine.snapshot(true).toCompletableFuture();
            assertThat(ctx.walking.await(10, TimeUnit.SECONDS)).isTrue();
            // meanwhile the data set is emptied and saved in the foreground (FLUSHALL)
            ctx.keys = List.of();
            ctx.hold = null;
            engine.snapshot(false).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(keysOnDisk()).isEmpty();
            backgroundHeld.countDown(); // the older save now ends and tries to rename its file
            assertThatThrownBy(() -> background.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("a save started later already replaced");
            assertThat(keysOnDisk()).isEmpty();
        } finally {
            engine.close();
        }
    }
}
