package dev.cellar.core.engine;

import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.SnapshotView;

/**
 * The data set as it is, for a save that holds the engine for its whole length (SAVE, as Redis's
 * foreground save): nothing can change while it is read, so it needs neither marks nor copies,
 * and it can be read while a point-in-time view of a background job ({@link ForklessSnapshot})
 * is open, as Redis saves in the foreground beside a rewriting child. It never takes the engine
 * lock itself: the thread that asked for it holds the lock until it is closed (it may hand the
 * reading to another thread and wait for it).
 */
final class LiveView implements SnapshotView, PersistenceContext.SnapshotHandle {
    private final Engine engine;
    private final ForklessSnapshot.Entries entries;
    private boolean closed;

    LiveView(Engine engine) {
        this.engine = engine;
        this.entries = new ForklessSnapshot.Entries(engine);
    }

    @Override
    public SnapshotView view() {
        return this;
    }

    @Override
    public int databases() {
        return engine.databases();
    }

    @Override
    public long size(int db) {
        return engine.db(db).dict.size();
    }

    @Override
    public long expiresSize(int db) {
        return engine.db(db).expires.size();
    }

    @Override
    public void forEach(int db, EntryVisitor visitor) {
        if (closed) {
            throw new IllegalStateException("the view was closed");
        }
        Dict dict = engine.db(db).dict;
        Dict expires = engine.db(db).expires;
        dict.forEachSlot(slot -> entries.emit(dict, expires, slot, visitor));
    }

    @Override
    public void close() {
        closed = true;
    }
}
