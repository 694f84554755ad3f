package dev.cellar.persistence.aof;

import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.SnapshotView;
import java.nio.file.Path;
import java.util.function.Supplier;

/** A persistence context for tests: settings, a directory, and snapshots of a {@link Model}. */
final class TestContext implements PersistenceContext {
    volatile CellarConfig config;
    final Path dir;
    Supplier<SnapshotView> snapshots = () -> {
        throw new UnsupportedOperationException("no snapshots in this test");
    };
    /** What {@link #snapshotInProgress()} answers (a BGSAVE running beside the log). */
    volatile boolean viewOpen;
    /** Makes the next view's visit wait on this latch (rewrite-while-writing tests). */
    volatile java.util.concurrent.CountDownLatch holdVisit;

    TestContext(Path dir, String... settings) {
        CellarConfig.Builder b = CellarConfig.builder().dir(dir);
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        this.config = b.build();
        this.dir = dir;
    }

    @Override
    public CellarConfig config() {
        return config;
    }

    /** Changes a setting, as CONFIG SET does, and tells {@code engine}, as the host does. */
    void set(AofEngine engine, String name, String value) {
        CellarConfig.Builder b = CellarConfig.builder().dir(dir);
        config.settings().forEach(b::set);
        config = b.set(name, value).build();
        engine.settingChanged(name, value);
    }

    @Override
    public boolean snapshotInProgress() {
        return viewOpen;
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
        SnapshotView view = snapshots.get();
        var latch = holdVisit;
        SnapshotView held = latch == null ? view : new SnapshotView() {
            public int databases() { return view.databases(); }
            public long size(int db) { return view.size(db); }
            public long expiresSize(int db) { return view.expiresSize(db); }
            public void forEach(int db, EntryVisitor v) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                view.forEach(db, v);
            }
        };
        return new SnapshotHandle() {
            public SnapshotView view() { return held; }
            public void close() {}
        };
    }
}
