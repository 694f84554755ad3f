package dev.cellar.spi.persistence;

/**
 * A {@link LoadSink} that passes everything on to another; subclasses override what they change
 * (a provider that logs or rescales the progress of one part of a load, for instance).
 */
public abstract class ForwardingLoadSink implements LoadSink {
    /** The sink everything goes on to. */
    protected final LoadSink delegate;

    /** Passes everything on to {@code delegate}. */
    protected ForwardingLoadSink(LoadSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
        delegate.put(db, key, value, expireAtMillis);
    }

    @Override
    public void put(int db, byte[] key, DataValue value, long expireAtMillis, long lruIdleMillis, int lfuFrequency) {
        delegate.put(db, key, value, expireAtMillis, lruIdleMillis, lfuFrequency);
    }

    @Override
    public String replay(int db, byte[][] argv) {
        return delegate.replay(db, argv);
    }

    @Override
    public void reserve(int db, long keys, long expires) {
        delegate.reserve(db, keys, expires);
    }

    @Override
    public void progress(long loadedBytes, long totalBytes) {
        delegate.progress(loadedBytes, totalBytes);
    }

    @Override
    public void snapshotField(String name, String value) {
        delegate.snapshotField(name, value);
    }

    @Override
    public void snapshotLoaded(long keysLoaded, long keysExpired, long emptyKeysSkipped) {
        delegate.snapshotLoaded(keysLoaded, keysExpired, emptyKeysSkipped);
    }
}
