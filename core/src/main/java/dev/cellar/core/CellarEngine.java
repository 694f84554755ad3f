package dev.cellar.core;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.CellarException;
import dev.cellar.api.Database;
import dev.cellar.api.Reply;
import dev.cellar.core.commands.Commands;
import dev.cellar.core.engine.ActiveExpiry;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Engine;
import dev.cellar.core.engine.Eviction;
import dev.cellar.core.engine.Providers;
import dev.cellar.core.engine.Session;
import dev.cellar.core.engine.Settings;
import dev.cellar.core.persistence.PersistenceHost;
import dev.cellar.spi.eviction.EvictionPolicy;
import dev.cellar.spi.expiry.ExpiryStrategy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link Cellar}: the keyspace and dispatcher ({@link Engine}) guarded by one
 * lock, plus a timer thread that runs the background work Redis's {@code serverCron} does (active
 * expiry, blocked-client timeouts) {@code hz} times a second.
 *
 * <p>Thread model: any thread may run a command by taking the lock; the lock is what gives all
 * writes one total order. The server's event loops call {@link #execute(Session, byte[][])} the
 * same way. See {@code docs/architecture.md}.
 */
public final class CellarEngine implements Cellar {
    private static final Logger LOG = LoggerFactory.getLogger(CellarEngine.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Engine engine;
    private final ActiveExpiry activeExpiry;
    private final PersistenceHost persistence;
    private final ScheduledExecutorService timer;
    private final Database[] databaseHandles;
    private volatile boolean closed;
    private volatile boolean shutdownSaveDone;
    private volatile Throwable loadFailure;
    private final java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);

    /** Opens an engine; unknown or invalid settings are refused with the setting's name. */
    public CellarEngine(CellarConfig config) {
        this(config, Settings.engineDefaults());
    }

    /**
     * Opens an engine whose settings registry the caller has extended (the server adds its own
     * parameters before the configuration is applied).
     */
    public CellarEngine(CellarConfig config, Settings settings) {
        this(config, settings, table -> {});
    }

    /**
     * Opens an engine with an extended settings registry and extra commands: the server registers
     * its own commands (CLIENT, INFO, Pub/Sub, ...) in the same table, after the engine's, so one
     * dispatcher serves both.
     */
    public CellarEngine(CellarConfig config, Settings settings, java.util.function.Consumer<CommandTable> extraCommands) {
        for (Map.Entry<String, String> e : config.settings().entrySet()) {
            String error = settings.set(e.getKey(), e.getValue(), true);
            if (error != null) {
                throw new IllegalArgumentException("invalid setting '" + e.getKey() + "' = '" + e.getValue()
                        + "': " + error);
            }
        }
        CommandTable table = new CommandTable();
        Commands.registerAll(table);
        extraCommands.accept(table);
        CellarClock clock = config.clock();
        this.engine = new Engine(settings, clock, table, settings.getLong("cellar-random-seed"));

        Providers.Found<EvictionPolicy> policies = Providers.discover(EvictionPolicy.class, EvictionPolicy::name);
        new Eviction(engine, policies.byName());

        Providers.Found<ExpiryStrategy> strategies = Providers.discover(ExpiryStrategy.class, ExpiryStrategy::name);
        String strategyName = settings.get("cellar-expiry-strategy");
        ExpiryStrategy strategy = strategies.byName().get(strategyName);
        if (strategy == null) {
            throw new IllegalArgumentException("no expiry strategy named '" + strategyName + "' was found; available: "
                    + strategies.byName().keySet() + (strategies.problems().isEmpty() ? "" : "; " + strategies.problems()));
        }
        this.activeExpiry = new ActiveExpiry(engine, strategy);

        this.persistence = PersistenceHost.open(engine, lock, config);
        if (settings.getBool("cellar-load-in-background")) {
            // Like Redis: clients are served (with LOADING) while the data set loads.
            engine.setLoading(true);
            Thread loader = new Thread(() -> {
                lock.lock();
                try {
                    persistence.start();
                } catch (RuntimeException | Error e) {
                    loadFailure = e;
                    LOG.error("loading persisted data failed", e);
                } finally {
                    lock.unlock();
                    loaded.countDown();
                }
            }, "cellar-loader");
            loader.setDaemon(true);
            loader.start();
        } else {
            withLock(() -> {
                persistence.start();
                return null;
            });
            loaded.countDown();
        }

        databaseHandles = new Database[engine.databases()];
        for (int i = 0; i < databaseHandles.length; i++) {
            databaseHandles[i] = new DatabaseHandle(this, i);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cellar-cron");
            t.setDaemon(true);
            return t;
        });
        scheduleCron();
    }

    private void scheduleCron() {
        int hz = engine.settings().getInt("hz");
        timer.schedule(() -> {
            try {
                cron();
            } catch (RuntimeException e) {
                LOG.error("background cycle failed", e);
            }
            if (!closed) {
                scheduleCron();
            }
        }, 1000 / hz, TimeUnit.MILLISECONDS);
    }

    /** One background cycle: active expiry and blocked-client timeouts. Public for tests with a manual clock. */
    public void cron() {
        lock.lock();
        try {
            if (!engine.loading()) {
                activeExpiry.runCycle();
                engine.processBlockedTimeouts();
            }
            persistence.cron();
            engine.updatePeakMemory();
        } finally {
            lock.unlock();
        }
    }

    /** The engine state; use only while holding the lock ({@link #withLock}). */
    public Engine engine() {
        return engine;
    }

    /** The active expiry runner ({@code DEBUG SET-ACTIVE-EXPIRE}). */
    public ActiveExpiry activeExpiry() {
        return activeExpiry;
    }

    /** Persistence orchestration: the provider in use, its INFO fields. */
    public PersistenceHost persistence() {
        return persistence;
    }

    /**
     * Ends a batch of commands: a log that syncs on every write syncs here once for the batch
     * (group commit). The embedding API calls it after every command; the server after each turn
     * of its loop.
     */
    public void flushBatch() {
        lock.lock();
        try {
            persistence.flushBatch();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #flushBatch()}, answering instead of throwing: null when the batch's writes are
     * persisted, else the error their replies become ({@code MISCONF Errors writing to the AOF
     * file: <reason>} when the log could not write or sync them): not acknowledged, as Redis
     * refuses writes it cannot log. The server's group commit and the embedding API both use it.
     */
    public String flushBatchOrError() {
        try {
            flushBatch();
            return null;
        } catch (java.io.UncheckedIOException e) {
            return misconf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Persisting a batch of writes failed", e);
            return misconf("Errors persisting writes: " + e);
        }
    }

    private static String misconf(String reason) {
        if (reason == null) {
            return "MISCONF Errors persisting writes";
        }
        return reason.startsWith("MISCONF ") ? reason : "MISCONF " + reason;
    }

    /** Runs one command of the embedding API; {@code wrote[0]} says whether it changed the data set. */
    private Reply executeNoting(Session session, byte[][] argv, boolean[] wrote) {
        lock.lock();
        try {
            long before = engine.dirty();
            Reply reply = execute(session, argv);
            wrote[0] = engine.dirty() != before;
            return reply;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the persisted data set is loaded (immediate unless {@code cellar-load-in-background});
     * throws when loading failed.
     */
    public void awaitLoaded() throws InterruptedException {
        loaded.await();
        if (loadFailure != null) {
            throw new CellarException("ERR loading persisted data failed: " + loadFailure.getMessage(), loadFailure);
        }
    }

    /** INFO's persistence section fields, Redis's names and order (for the server's INFO). */
    public Map<String, String> persistenceInfo() {
        return withLock(persistence::info);
    }

    /** DEBUG RELOAD: save, empty, load again. Returns null on success, else the error reply. */
    public String debugReload() {
        return withLock(persistence::debugReload);
    }

    /** DEBUG RELOAD [NOSAVE] [NOFLUSH]: {@code save} and {@code flush} false skip that step. */
    public String debugReload(boolean save, boolean flush) {
        return withLock(() -> persistence.debugReload(save, flush));
    }

    /** DEBUG LOADAOF: write out the log, empty, load the log again. Returns null on success, else the error reply. */
    public String debugLoadAof() {
        return withLock(persistence::debugLoadAof);
    }

    /**
     * SHUTDOWN's persistence step: stops a background save, then saves when {@code save} is true
     * (SHUTDOWN SAVE), or when it is null (plain SHUTDOWN) and save points are configured; false is
     * NOSAVE. Returns null, or the error reply when the save failed (then do not shut down unless
     * forced). A later {@link #close()} does not save again.
     */
    public String shutdownSave(Boolean save) {
        String error = withLock(() -> persistence.saveOnShutdown(save));
        if (error == null) {
            shutdownSaveDone = true;
        }
        return error;
    }

    /** Runs {@code work} holding the engine lock. */
    public <T> T withLock(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} holding the engine lock if the lock is free right now, without waiting;
     * returns {@code busy} (and runs nothing) when another thread holds it.
     */
    public <T> T withLockIfFree(Supplier<T> work, T busy) {
        if (!lock.tryLock()) {
            return busy;
        }
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** A new client session. */
    public Session newSession() {
        return new Session();
    }

    /**
     * Runs a command for a session under the lock; returns {@link Session#BLOCKED} when it blocked,
     * in which case the reply goes to the session's reply listener later.
     */
    public Reply execute(Session session, byte[][] argv) {
        if (closed) {
            throw new CellarException("ERR the store is closed");
        }
        if (loadFailure != null) {
            throw new CellarException("ERR loading persisted data failed: " + loadFailure.getMessage(), loadFailure);
        }
        lock.lock();
        try {
            return engine.process(session, argv);
        } finally {
            lock.unlock();
        }
    }

    /** Releases a session's WATCH and blocking state (client disconnect). */
    public void closeSession(Session session) {
        lock.lock();
        try {
            engine.sessionClosed(session);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Database database(int index) {
        if (index < 0 || index >= databaseHandles.length) {
            throw new IllegalArgumentException("database index " + index + " (expected: 0 to "
                    + (databaseHandles.length - 1) + ")");
        }
        return databaseHandles[index];
    }

    @Override
    public int databases() {
        return databaseHandles.length;
    }

    @Override
    public Reply execute(int db, byte[]... argv) {
        if (argv.length == 0) {
            return new Reply.Error("ERR empty command");
        }
        Session session = new Session();
        session.selectDb(db);
        CompletableFuture<Reply> late = new CompletableFuture<>();
        session.setReplyListener(late::complete);
        boolean[] wrote = {false};
        Reply reply = executeNoting(session, argv, wrote);
        String error = flushBatchOrError();
        if (error != null && wrote[0]) {
            reply = new Reply.Error(error);
        }
        if (reply != Session.BLOCKED) {
            if (session.inMulti() || session.watchedCount() > 0) {
                closeSession(session);
            }
            return reply;
        }
        try {
            return late.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeSession(session);
            throw new CellarException("ERR interrupted while blocked", e);
        } catch (ExecutionException e) {
            throw new CellarException("ERR " + e.getCause(), e.getCause());
        }
    }

    @Override
    public List<Reply> pipeline(int db, List<byte[][]> commands) {
        Session session = new Session();
        session.selectDb(db);
        try {
            List<Reply> replies = new java.util.ArrayList<>(commands.size());
            boolean[] wrote = new boolean[commands.size()];
            boolean[] one = {false};
            for (byte[][] argv : commands) {
                replies.add(executeNoting(session, argv, one));
                wrote[replies.size() - 1] = one[0];
            }
            String error = flushBatchOrError();
            if (error != null) {
                for (int i = 0; i < replies.size(); i++) {
                    if (wrote[i]) {
                        replies.set(i, new Reply.Error(error));
                    }
                }
            }
            return java.util.Collections.unmodifiableList(replies);
        } finally {
            closeSession(session);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            loaded.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            if (!shutdownSaveDone && loadFailure == null) {
                String error = persistence.saveOnShutdown(null);
                if (error != null) {
                    LOG.error("saving on close failed; the last snapshot on disk is kept");
                }
            }
            persistence.close();
        } catch (java.io.IOException e) {
            throw new CellarException("ERR closing persistence failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** A numbered database of this engine. */
    private record DatabaseHandle(CellarEngine engine, int index) implements Database {
        @Override
        public Reply execute(byte[]... argv) {
            return engine.execute(index, argv);
        }
    }
}
