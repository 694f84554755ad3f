package dev.cellar.persistence.rdb;

import dev.cellar.api.CellarConfig;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.ForwardingLoadSink;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PropagatedWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RDB strategy for one store: loads {@code dir/dbfilename} at start-up and writes snapshots
 * there from the engine's fork-less point-in-time view.
 *
 * <p>Threads: SAVE writes on the calling thread, which holds the engine lock throughout (as Redis
 * blocks during SAVE). BGSAVE takes the view on the calling thread, at the instant of the command,
 * and hands the writing to the single "cellar-bgsave" thread; the view takes the engine lock one
 * slice at a time, so writers keep running. Every file operation goes through {@link RdbFiles}.
 */
final class RdbPersistenceEngine implements PersistenceEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RdbPersistenceEngine.class);
    /** Files at least this large get progress lines while loading. */
    private static final long PROGRESS_LOG_BYTES = 64L << 20;
    private static final long PROGRESS_LOG_NANOS = 2_000_000_000L;

    private final PersistenceContext context;
    private final RdbFiles files;
    /** Guards the two numbers below: saves are numbered as they start, renames go in that order. */
    private final Object renames = new Object();
    private long savesStarted;
    private long saveInPlace;
    private final ExecutorService saver;
    private volatile long lastLoadKeysLoaded;
    private volatile long lastLoadKeysExpired;

    RdbPersistenceEngine(PersistenceContext context, RdbFiles files) {
        this.context = context;
        this.files = files;
        writerOptions(); // a bad setting fails here, not at the first save
        this.saver = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cellar-bgsave");
            t.setDaemon(true);
            return t;
        });
    }

    private Path file() {
        String name = setting("dbfilename", "dump.rdb");
        return context.dir().resolve(name);
    }

    private String setting(String name, String fallback) {
        CellarConfig config = context.config();
        String v = config == null ? null : config.get(name);
        return v == null ? fallback : v;
    }

    // ------------------------------------------------------------------ loading

    @Override
    public void load(LoadSink sink) throws IOException {
        Path file = file();
        if (!Files.exists(file)) {
            LOG.info("no RDB file at {}: starting empty", file);
            return;
        }
        long size = Files.size(file);
        long start = System.nanoTime();
        RdbReader reader = new RdbReader(RdbReader.Options.defaults().withClock(context.clock())
                .withDatabases(context.databases()));
        RdbReader.Result result;
        try {
            result = reader.read(file, new ProgressLogging(sink, file, size, start));
        } catch (RdbFormatException e) {
            throw new IOException("RDB file " + file + " is damaged: " + e.getMessage()
                    + " (redis-check-rdb or check-rdb shows where)", e);
        } catch (java.io.EOFException e) {
            throw new IOException("RDB file " + file + " is truncated: unexpected end of file: " + e.getMessage(), e);
        }
        lastLoadKeysLoaded = result.keysLoaded();
        lastLoadKeysExpired = result.expiredDropped();
        LOG.info("DB loaded from disk: {} seconds", java.math.BigDecimal.valueOf((System.nanoTime() - start + 500_000) / 1_000_000, 3).toPlainString());
    }

    /** Passes everything on, and logs progress every few seconds for a big file. */
    private static final class ProgressLogging extends ForwardingLoadSink {
        private final Path file;
        private final long size;
        private long nextLog;

        ProgressLogging(LoadSink sink, Path file, long size, long start) {
            super(sink);
            this.file = file;
            this.size = size;
            this.nextLog = start + PROGRESS_LOG_NANOS;
        }

        @Override
        public void progress(long loadedBytes, long totalBytes) {
            delegate.progress(loadedBytes, totalBytes);
            long now = System.nanoTime();
            if (size >= PROGRESS_LOG_BYTES && now >= nextLog && loadedBytes < totalBytes) {
                LOG.info("Loading {}: {} of {} MB ({}%)", file, loadedBytes >> 20, totalBytes >> 20,
                        totalBytes == 0 ? 0 : loadedBytes * 100 / totalBytes);
                nextLog = now + PROGRESS_LOG_NANOS;
            }
        }
    }

    // ------------------------------------------------------------------ snapshots

    @Override
    public void write(PropagatedWrite write) {
        // snapshots only: writes between saves are counted by the engine (dirty), not logged
    }

    @Override
    public boolean takesSnapshots() {
        return true;
    }

    @Override
    public CompletionStage<Void> snapshot(boolean background) {
        PersistenceContext.SnapshotHandle handle;
        RdbWriter writer;
        Path target;
        RdbFiles ordered;
        try {
            handle = context.snapshot();
            writer = new RdbWriter(writerOptions());
            target = file();
            ordered = renamedInOrder();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!background) {
            try (handle) {
                save(writer, handle, target, ordered);
                return CompletableFuture.completedFuture(null);
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            saver.execute(() -> {
                // The stage completes once the view is released, so that nobody sees the save done
                // with its view still open (INFO's current_cow_size after rdb_bgsave_in_progress:0).
                Throwable failure = null;
                try (handle) {
                    save(writer, handle, target, ordered);
                } catch (IOException | RuntimeException | Error e) {
                    failure = e;
                }
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            handle.close();
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * The file seam of one save, numbered when the save starts: its rename over the file is refused
     * once a save started later has put its own file there. FLUSHALL saves the empty data set in
     * the foreground while a BGSAVE may still be writing (Redis kills that child); the older file
     * must not come back over the newer one, whichever finishes first.
     */
    private RdbFiles renamedInOrder() {
        long number;
        synchronized (renames) {
            number = ++savesStarted;
        }
        return new RdbFiles() {
            @Override
            public java.nio.channels.FileChannel open(Path file, java.nio.file.OpenOption... options) throws IOException {
                return files.open(file, options);
            }

            @Override
            public void move(Path source, Path target, java.nio.file.CopyOption... options) throws IOException {
                synchronized (renames) {
                    if (number < saveInPlace) {
                        throw new IOException("a save started later already replaced " + target + "; this one is dropped");
                    }
                    files.move(source, target, options);
                    saveInPlace = number;
                }
            }
        };
    }

    private void save(RdbWriter writer, PersistenceContext.SnapshotHandle handle, Path target, RdbFiles ordered)
            throws IOException {
        long start = System.nanoTime();
        try {
            writer.writeFile(handle.view(), target, ordered);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Failed saving the DB to {}: {}", target, e.toString());
            throw e;
        }
        LOG.info("DB saved on disk ({} in {} ms)", target, (System.nanoTime() - start) / 1_000_000);
    }

    private RdbWriter.Options writerOptions() {
        CellarConfig config = context.config();
        return RdbWriter.Options.from(config == null ? CellarConfig.defaults() : config, context.clock());
    }

    @Override
    public Map<String, String> info() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("rdb_last_load_keys_expired", Long.toString(lastLoadKeysExpired));
        info.put("rdb_last_load_keys_loaded", Long.toString(lastLoadKeysLoaded));
        return info;
    }

    /**
     * Stops the saving thread. A background save still running is abandoned (its view was closed
     * by the host, so it fails and removes its temporary file), as Redis kills its child.
     */
    @Override
    public void close() {
        saver.shutdown();
    }
}
