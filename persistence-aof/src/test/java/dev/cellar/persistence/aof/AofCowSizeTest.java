package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Session;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PropagatedWrite;
import dev.cellar.spi.persistence.SnapshotView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aof_last_cow_size}: the bytes a BGREWRITEAOF's view copied because writes reached keys
 * before its walk did. Deterministic: the engine lock is held from BGREWRITEAOF to the last write,
 * and the rewrite thread walks under that lock, so it cannot have reached any key yet.
 */
class AofCowSizeTest {
    private static final int KEYS = 5_000;
    private static final int OVERWRITTEN = 200;

    @TempDir
    Path dir;

    private static Reply exec(CellarEngine c, Session s, String... argv) {
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return c.execute(s, b);
    }

    private static Map<String, String> afterRewrite(CellarEngine cellar) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (cellar.persistenceInfo().get("aof_rewrite_in_progress").equals("1")) {
            assertThat(System.nanoTime()).as("BGREWRITEAOF still running after 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
        return cellar.persistenceInfo();
    }

    @Test
    @DisplayName("writes that reach keys before a rewrite's walk are counted in aof_last_cow_size, not in rdb_last_cow_size")
    void overwritesDuringRewriteAreCounted() throws Exception {
        CellarConfig config = CellarConfig.builder().set("cellar-persistence", "aof").set("dir", dir.toString())
                .set("appendfsync", "everysec").set("hz", "1").build();
        try (CellarEngine cellar = new CellarEngine(config)) {
            Session s = cellar.newSession();
            for (int i = 0; i < KEYS; i++) {
                exec(cellar, s, "SET", "key:" + i, "value:" + i);
            }
            assertThat(cellar.persistenceInfo()).containsEntry("aof_last_cow_size", "0");

            long current = cellar.withLock(() -> {
                assertThat(exec(cellar, s, "BGREWRITEAOF"))
                        .isEqualTo(new Reply.Simple("Background append only file rewriting started"));
                for (int i = 0; i < OVERWRITTEN; i++) {
                    exec(cellar, s, "SET", "key:" + i, "changed");
                }
                return Long.parseLong(cellar.persistenceInfo().get("current_cow_size"));
            });
            Map<String, String> info = afterRewrite(cellar);
            assertThat(info).containsEntry("aof_last_bgrewrite_status", "ok");
            assertThat(current).as("current_cow_size while the rewrite runs")
                    .isGreaterThanOrEqualTo(OVERWRITTEN * "key:0".length());
            assertThat(info).containsEntry("aof_last_cow_size", Long.toString(current))
                    .containsEntry("rdb_last_cow_size", "0").containsEntry("current_cow_size", "0");

            // a rewrite no write disturbed copies nothing
            assertThat(exec(cellar, s, "BGREWRITEAOF"))
                    .isEqualTo(new Reply.Simple("Background append only file rewriting started"));
            assertThat(afterRewrite(cellar)).containsEntry("aof_last_bgrewrite_status", "ok")
                    .containsEntry("aof_last_cow_size", "0");
        }
        try (CellarEngine reopened = new CellarEngine(config)) {
            Session s = reopened.newSession();
            assertThat(exec(reopened, s, "GET", "key:0")).isEqualTo(Reply.bulk("changed"));
            assertThat(exec(reopened, s, "GET", "key:" + (KEYS - 1))).isEqualTo(Reply.bulk("value:" + (KEYS - 1)));
        }
    }

    @Test
    @DisplayName("a rewrite that fails keeps the last successful rewrite's aof_last_cow_size, as Redis does")
    void aFailedRewriteKeepsTheLastCount() throws Exception {
        TestContext ctx = new TestContext(dir);
        Model m = new Model(16);
        ctx.snapshots = m::snapshot;
        // a context whose n-th view says it copied n * 4096 bytes
        java.util.concurrent.atomic.AtomicLong views = new java.util.concurrent.atomic.AtomicLong();
        PersistenceContext counting = new PersistenceContext() {
            @Override
            public dev.cellar.api.CellarConfig config() {
                return ctx.config();
            }

            @Override
            public Path dir() {
                return ctx.dir();
            }

            @Override
            public int databases() {
                return ctx.databases();
            }

            @Override
            public dev.cellar.api.CellarClock clock() {
                return ctx.clock();
            }

            @Override
            public SnapshotHandle snapshot() {
                SnapshotHandle inner = ctx.snapshot();
                long copied = views.incrementAndGet() * 4096;
                return new SnapshotHandle() {
                    @Override
                    public SnapshotView view() {
                        return inner.view();
                    }

                    @Override
                    public long copiedBytes() {
                        return copied;
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }
        };
        AofEngine e = new AofEngine(counting, AofIo.FILES, null, List.of());
        e.load(m);
        e.write(new PropagatedWrite(0, m.write(0, "SET", "a", "1")));
        e.flushBatch();
        assertThat(e.startRewrite()).isTrue();
        e.awaitRewrite(10_000);
        assertThat(e.info()).containsEntry("aof_last_bgrewrite_status", "ok").containsEntry("aof_last_cow_size", "4096");

        // the next view fails under the rewrite's walk (as one closed under it does)
        SnapshotView good = m.snapshot();
        ctx.snapshots = () -> new SnapshotView() {
            @Override
            public int databases() {
                return good.databases();
            }

            @Override
            public long size(int db) {
                return good.size(db);
            }

            @Override
            public long expiresSize(int db) {
                return good.expiresSize(db);
            }

            @Override
            public void forEach(int db, EntryVisitor visitor) {
                throw new IllegalStateException("the snapshot was closed");
            }
        };
        assertThat(e.startRewrite()).isTrue();
        e.awaitRewrite(10_000);
        assertThat(views.get()).isEqualTo(2);
        assertThat(e.info()).containsEntry("aof_last_bgrewrite_status", "err").containsEntry("aof_last_cow_size", "4096");
        e.close();
    }
}
