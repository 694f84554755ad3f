package dev.cellar.core.persistence;

import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.Numbers;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.Dict;
import dev.cellar.core.engine.Engine;
import dev.cellar.core.engine.Providers;
import dev.cellar.core.engine.Session;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistence orchestration: finds the providers, creates the engines, loads the persisted data
 * set before any client command, connects the engine's propagated write stream to them, and runs
 * Redis's rules around them (SAVE, BGSAVE, the {@code save} points, BGREWRITEAOF, MISCONF,
 * {@code appendonly} at run time, the INFO persistence fields).
 *
 * <p>Two roles, as in Redis, where {@code dump.rdb} is written beside the append-only file:
 * <ul>
 * <li>the <em>snapshot engine</em>: the provider named by {@code cellar-persistence} when it keeps
 * no log (e.g. {@code rdb}); it answers SAVE, BGSAVE, the save points and the save at shutdown;
 * <li>the <em>log engine</em>: open while {@code appendonly} is {@code yes}; the provider named by
 * {@code cellar-persistence} when it {@linkplain PersistenceProvider#keepsLog() keeps a log},
 * otherwise {@code hybrid} when it is installed (its bases follow {@code aof-use-rdb-preamble}: RDB or
 * RESP), else {@code aof}. It answers BGREWRITEAOF. {@code CONFIG SET appendonly yes} opens it on the
 * live data set ({@link PersistenceEngine#begin()}); {@code no} flushes and closes it.
 * </ul>
 * At start-up the log, when open, is the source of truth and alone loads; otherwise the snapshot
 * engine loads. Writes, batch ends, cron and the write gate go to both.
 *
 * <p>Choice: a name that no provider has, or that two providers claim, stops the store from
 * opening with a message listing what was found and what failed to load. {@code none} means no
 * persistence at all; empty means no snapshots (the server sets {@code rdb} itself).
 *
 * <p>One point-in-time view at a time (the engine keeps one): while a BGSAVE holds it, BGREWRITEAOF
 * and the first base of {@code appendonly yes} are scheduled, as Redis schedules them behind a
 * running child; while a rewrite holds it, BGSAVE is refused (or scheduled with SCHEDULE) and save
 * points wait. SAVE takes no view: it holds the lock throughout and reads the live data set.
 *
 * <p>Threads: every method runs on a thread holding the engine lock, except where noted. A
 * background save completes on the provider's thread, which takes the lock to record the outcome.
 *
 * <p>Changes since the last save: Redis keeps {@code server.dirty} and, when a BGSAVE succeeds,
 * subtracts the count it had when the save began. The engine's counter only resets, so this class
 * keeps the count at the last successful save ({@code dirtyAtLastSave}) and reports the difference.
 */
public final class PersistenceHost implements PersistenceContext, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceHost.class);
    /** Redis's {@code CONFIG_BGSAVE_RETRY_DELAY}: after a failed save, automatic saves wait this long. */
    static final long BGSAVE_RETRY_DELAY_MILLIS = 5_000;
    /** Redis 7.0's MISCONF reply (stop-writes-on-bgsave-error). */
    public static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable"
            + " to persist to disk. Commands that may modify the data set are disabled, because this instance is"
            + " configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error"
            + " option). Please check the Redis logs for details about the RDB error.";
    static final String BGSAVE_IN_PROGRESS = "ERR Background save already in progress";
    /** Redis 7.0's BGSAVE reply while an AOF rewrite runs. */
    static final String BGSAVE_AOF_ACTIVE = "ERR Another child process is active (AOF?): can't BGSAVE right now."
            + " Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";
    /** Redis 7.0's CONFIG SET appendonly yes failure (after "CONFIG SET failed ... - "). */
    static final String UNABLE_TO_TURN_ON_AOF = "Unable to turn on AOF. Check server logs.";
    /** The AOF fields of INFO, in Redis 7.0's order, with their values when no log is open. */
    private static final String[][] AOF_DEFAULTS = {{"aof_enabled", "0"}, {"aof_rewrite_in_progress", "0"},
        {"aof_rewrite_scheduled", "0"}, {"aof_last_rewrite_time_sec", "-1"}, {"aof_current_rewrite_time_sec", "-1"},
        {"aof_last_bgrewrite_status", "ok"}, {"aof_rewrites", "0"}, {"aof_rewrites_consecutive_failures", "0"},
        {"aof_last_write_status", "ok"}, {"aof_last_cow_size", "0"}};

    private final Engine engine;
    private final CellarConfig config;
    private final Lock lock;
    private final Providers.Found<PersistenceProvider> found;
    /** {@code cellar-persistence} is {@code none}: neither snapshots nor a log. */
    private final boolean disabled;
    private final PersistenceProvider snapshotProvider;
    private final PersistenceEngine snapshots;
    /** The provider named by {@code cellar-persistence} when it keeps a log, else null (chosen when opened). */
    private final PersistenceProvider namedLogProvider;
    private PersistenceEngine log;
    private String logName;
    private final RoleContext snapshotContext = new RoleContext(false);
    private final RoleContext logContext = new RoleContext(true);
    private boolean started;
    private boolean closed;
    /** A log's writes are held back while DEBUG RELOAD rebuilds the same data set. */
    private boolean reloading;

    // log state kept across the log being closed and opened again (Redis keeps these counters)
    private boolean logBeginScheduled;
    private long nextBeginTryMillis;
    /** BGREWRITEAOF waits for the point-in-time view (with the log open or off). */
    private boolean logRewriteScheduled;
    /**
     * A log engine writing a base alone while the log is off (BGREWRITEAOF with {@code appendonly
     * no}, as Redis 7 does), and its stage; closed by {@link #cron()} once the base is in place.
     */
    private PersistenceEngine offLog;
    private CompletableFuture<Void> offLogDone;
    /** A SAVE is running on the thread holding the engine lock: the snapshot engine gets the live data set. */
    private boolean foregroundSave;
    private final Map<String, String> lastLogInfo = new LinkedHashMap<>();
    private long logRewritesBefore;

    // save state (Redis's server.lastsave, lastbgsave_status, ...); guarded by the engine lock
    private boolean bgsaveRunning;
    /** FLUSHALL stopped the running BGSAVE: its end changes no status, as a killed child's does not. */
    private boolean bgsaveKilled;
    private boolean bgsaveScheduled;
    private long bgsaveStartMillis;
    private long dirtyAtSaveStart;
    private long dirtyAtLastSave;
    private long lastSaveMillis;
    private long lastBgsaveTryMillis;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTimeSec = -1;
    private long saves;
    private long lastCowSize;
    private Handle openHandle;
    /** The view of the running (or last) BGSAVE: its copied bytes are {@code rdb_last_cow_size}. */
    private Handle bgsaveHandle;

    // loading state
    private long loadingStartMillis;
    private volatile long loadingLoadedBytes;
    private volatile long loadingTotalBytes;
    /** The {@code used-mem} field of the snapshot being loaded (INFO {@code loading_rdb_used_mem}). */
    private volatile long loadingRdbUsedMem;

    /** The host of each engine, for the commands (the engine does not know its host). */
    private static final Map<Engine, PersistenceHost> HOSTS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The host serving {@code engine}, or null (an engine built without one, as in unit tests of values). */
    public static PersistenceHost of(Engine engine) {
        return HOSTS.get(engine);
    }

    private PersistenceHost(Engine engine, Lock lock, CellarConfig config, Providers.Found<PersistenceProvider> found,
                            boolean disabled, PersistenceProvider named) {
        HOSTS.put(engine, this);
        this.engine = engine;
        this.lock = lock;
        this.config = config;
        this.found = found;
        this.disabled = disabled;
        this.snapshotProvider = named != null && !named.keepsLog() ? named : null;
        this.namedLogProvider = named != null && named.keepsLog() ? named : null;
        this.snapshots = snapshotProvider == null ? null : snapshotProvider.create(snapshotContext);
        this.lastSaveMillis = engine.clock().currentTimeMillis();
    }

    /** Discovers providers and creates the configured snapshot engine (or none); the log opens in {@link #start()}. */
    public static PersistenceHost open(Engine engine, Lock lock, CellarConfig config) {
        Providers.Found<PersistenceProvider> found = Providers.discover(PersistenceProvider.class,
                PersistenceProvider::name);
        String name = engine.settings().get("cellar-persistence");
        if (name == null || name.isBlank() || name.equals("none")) {
            return new PersistenceHost(engine, lock, config, found, "none".equals(name), null);
        }
        PersistenceProvider provider = found.byName().get(name);
        if (provider == null) {
            String why = found.ambiguous().contains(name) ? "two providers are named '" + name + "'"
                    : "no persistence provider named '" + name + "' was found";
            throw new IllegalStateException(why + "; available: " + found.byName().keySet()
                    + (found.problems().isEmpty() ? "" : "; problems: " + found.problems()));
        }
        LOG.info("persistence provider '{}' ({})", name, provider.getClass().getName());
        if (provider.keepsLog() && config.get("appendonly") == null) {
            // Choosing a log provider is asking for the log: Redis's appendonly follows, unless set.
            engine.settings().set("appendonly", "yes", true);
        }
        return new PersistenceHost(engine, lock, config, found, false, provider);
    }

    /** The names of the persistence providers that can be found, for the start-up log. */
    public static List<String> available() {
        return new ArrayList<>(Providers.discover(PersistenceProvider.class, PersistenceProvider::name)
                .byName().keySet());
    }

    /** The snapshot provider in use, or else the log's, or null. */
    public String providerName() {
        return snapshotProvider != null ? snapshotProvider.name() : namedLogProvider != null ? namedLogProvider.name()
                : logName;
    }

    /** Whether a snapshot engine writes snapshots (SAVE, BGSAVE, save points). */
    public boolean takesSnapshots() {
        return snapshots != null && snapshots.takesSnapshots();
    }

    /** Whether the log is open ({@code appendonly yes}, and a provider keeps one). */
    public boolean logOpen() {
        return log != null;
    }

    /**
     * The provider that keeps the log when it opens: the one {@code cellar-persistence} names if it
     * keeps one, else {@code hybrid} (which writes RDB or RESP bases as {@code aof-use-rdb-preamble}
     * says at each base, so that CONFIG SET of it applies to the next rewrite, as in Redis), else
     * {@code aof}; null when none is installed (or persistence is {@code none}).
     */
    private PersistenceProvider logProvider() {
        if (disabled) {
            return null;
        }
        if (namedLogProvider != null) {
            return namedLogProvider;
        }
        PersistenceProvider hybrid = found.byName().get("hybrid");
        if (hybrid != null && hybrid.keepsLog()) {
            return hybrid;
        }
        PersistenceProvider aof = found.byName().get("aof");
        return aof != null && aof.keepsLog() ? aof : null;
    }

    private boolean appendonly() {
        return engine.settings().has("appendonly") && engine.settings().getBool("appendonly");
    }

    /**
     * Loads the persisted data set and connects the write stream; the caller holds the engine lock
     * (which loading lends to waiting threads between chunks, so that they see {@code LOADING}).
     */
    public void start() {
        PersistenceProvider logProvider = appendonly() ? logProvider() : null;
        if (appendonly() && logProvider == null && !disabled) {
            LOG.warn("appendonly is yes but no installed persistence provider keeps a log (add cellar-persistence-aof):"
                    + " no AOF is written");
        }
        if (logProvider != null) {
            log = logProvider.create(logContext);
            logName = logProvider.name();
        }
        PersistenceEngine loader = log != null ? log : snapshots;
        if (snapshots != null || log != null) {
            engine.setWriteGate(this::refuseWritesReason);
        }
        if (loader != null) {
            try {
                loadInto(loader);
            } catch (IOException | RuntimeException e) {
                for (PersistenceEngine p : new PersistenceEngine[] {log, snapshots}) {
                    try {
                        if (p != null) {
                            p.close();
                        }
                    } catch (IOException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                String name = loader == log ? logName : snapshotProvider.name();
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("loading persisted data with provider '" + name
                            + "' failed: " + e.getMessage(), io);
                }
                throw (RuntimeException) e;
            }
        }
        engine.addWriteListener(this::write);
        if (engine.settings().has("appendonly")) {
            engine.settings().param("appendonly").onChange(this::appendonlyChanged);
        }
        for (dev.cellar.core.engine.Settings.Param p : engine.settings().all()) {
            if (p.mutable() && !p.name().equals("appendonly")) {
                String name = p.name();
                p.onChange(value -> settingChanged(name, value));
            }
        }
        started = true;
    }

    /**
     * Tells the running engines (the log, the snapshot engine, a base being written while the log is
     * off) that CONFIG SET changed a setting. The value was checked already: an engine's failure to
     * take it is logged, not turned into a CONFIG SET error.
     */
    private void settingChanged(String name, String value) {
        List<PersistenceEngine> told = new ArrayList<>(3);
        for (PersistenceEngine e : new PersistenceEngine[] {log, snapshots, offLog}) {
            if (e == null || told.stream().anyMatch(t -> t == e)) {
                continue; // none, or one engine in two roles: told once
            }
            told.add(e);
            try {
                e.settingChanged(name, value);
            } catch (RuntimeException ex) {
                LOG.warn("The persistence engine could not apply {} {}: {}", name, value, ex.toString());
            }
        }
    }

    private void loadInto(PersistenceEngine from) throws IOException {
        loadInto(from::load);
    }

    private void loadInto(PersistenceEngine.Reload from) throws IOException {
        engine.setLoading(true);
        loadingStartMillis = engine.clock().currentTimeMillis();
        loadingLoadedBytes = 0;
        loadingTotalBytes = 0;
        loadingRdbUsedMem = 0;
        try {
            from.into(new Sink());
        } finally {
            engine.setLoading(false);
            engine.settleMemory();
            dirtyAtLastSave = engine.dirty();
        }
    }

    /** One propagated write, to both engines. */
    private void write(dev.cellar.spi.persistence.PropagatedWrite w) {
        if (snapshots != null) {
            snapshots.write(w);
        }
        if (log != null && !reloading) {
            log.write(w);
        }
    }

    /** Ends a batch of writes (group commit for logs that sync on every write). */
    public void flushBatch() {
        try {
            if (snapshots != null) {
                snapshots.flushBatch();
            }
            if (log != null) {
                log.flushBatch();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ appendonly at run time

    /**
     * The {@code appendonly} listener (CONFIG SET, and its rollback): {@code yes} opens the log on
     * the live data set, {@code no} closes it. Refusing ({@link IllegalArgumentException}) makes
     * CONFIG SET fail with Redis's message and leaves {@code appendonly} as it was.
     */
    private void appendonlyChanged(String value) {
        if (!started || closed) {
            return;
        }
        boolean on = "yes".equals(value);
        if (on && log == null) {
            String error = openLog();
            if (error != null) {
                throw new IllegalArgumentException(error);
            }
        } else if (!on && log != null) {
            closeLog();
        }
    }

    /** Opens the log and starts its first base (or schedules it); returns null or the CONFIG SET error. */
    private String openLog() {
        PersistenceProvider provider = logProvider();
        if (provider == null) {
            LOG.warn("Can't turn on the AOF: no installed persistence provider keeps a log (add cellar-persistence-aof)"
                    + (disabled ? " and cellar-persistence is none" : ""));
            return UNABLE_TO_TURN_ON_AOF;
        }
        try {
            log = provider.create(logContext);
            logName = provider.name();
        } catch (RuntimeException e) {
            LOG.warn("Can't turn on the AOF: the '{}' provider failed: {}", provider.name(), e.toString());
            return UNABLE_TO_TURN_ON_AOF;
        }
        logRewriteScheduled = false; // the first base rewrites the log anyway
        if (engine.snapshotInProgress() || offLog != null) {
            // (a base written while the log was off must have switched its manifest first)
            logBeginScheduled = true;
            LOG.warn("AOF was enabled but there is already another background operation. An AOF background was"
                    + " scheduled to start when possible.");
            return null;
        }
        if (!beginLog()) {
            forgetLog();
            return UNABLE_TO_TURN_ON_AOF;
        }
        return null;
    }

    /** Starts the open log's first base; false (logged) when it cannot start. */
    private boolean beginLog() {
        CompletableFuture<Void> f = call(log::begin);
        logBeginScheduled = false;
        if (f.isCompletedExceptionally()) {
            Throwable cause = failureOf(f);
            LOG.warn("Cellar needs to enable the AOF but can't trigger a background AOF rewrite operation: {}",
                    cause == null ? "?" : cause.toString());
            return false;
        }
        return true;
    }

    /** {@code appendonly no}: stops a running rewrite, flushes, fsyncs and closes the log; its files stay. */
    private void closeLog() {
        if (openHandle != null && openHandle.log) {
            openHandle.close(); // the rewrite fails at its next slice instead of waiting
        }
        try {
            log.flushBatch();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Writing the AOF buffer before closing it failed: {}", e.toString());
        }
        forgetLog();
        LOG.info("The AOF is off (appendonly no)");
    }

    /** Closes the log engine and keeps its counters for INFO. */
    private void forgetLog() {
        PersistenceEngine l = log;
        log = null;
        logBeginScheduled = false;
        logRewriteScheduled = false;
        keepCountersAndClose(l);
    }

    /** Closes a log engine that is done, keeping its INFO counters (added to the earlier logs'). */
    private void keepCountersAndClose(PersistenceEngine l) {
        Map<String, String> info = l.info();
        try {
            l.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Closing the AOF failed: {}", e.toString());
        }
        lastLogInfo.clear();
        for (String[] field : AOF_DEFAULTS) {
            lastLogInfo.put(field[0], info.getOrDefault(field[0], field[1]));
        }
        lastLogInfo.put("aof_enabled", "0");
        lastLogInfo.put("aof_rewrite_in_progress", "0");
        lastLogInfo.put("aof_rewrite_scheduled", "0");
        lastLogInfo.put("aof_current_rewrite_time_sec", "-1");
        logRewritesBefore += parseLong(info.get("aof_rewrites"));
        lastLogInfo.put("aof_rewrites", Long.toString(logRewritesBefore));
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ SAVE, BGSAVE

    private String unavailable(String command) {
        return snapshots == null && log == null && logProvider() == null
                ? "ERR " + command + " is not available: no persistence is configured (set cellar-persistence, e.g. to 'rdb')"
                : "ERR " + command + " is not available: no snapshot provider is configured (cellar-persistence is '"
                        + engine.settings().get("cellar-persistence") + "'; 'rdb' writes snapshots)";
    }

    /** Whether the log's rewrite holds the point-in-time view. */
    private boolean logHoldsView() {
        return engine.snapshotInProgress() && !bgsaveRunning;
    }

    /**
     * SAVE: writes a snapshot on the calling thread. Returns null on success, else the error reply
     * ({@code ERR} alone when writing failed, as Redis answers; the reason is logged). Counts in
     * {@code rdb_saves}, as a started BGSAVE does; the saves Redis makes on its own (shutdown, DEBUG
     * RELOAD, FLUSHALL) do not.
     */
    public String save() {
        String error = saveNow();
        if (error == null) {
            saves++;
        }
        return error;
    }

    private String saveNow() {
        if (!takesSnapshots()) {
            return unavailable("SAVE");
        }
        if (bgsaveRunning) {
            return BGSAVE_IN_PROGRESS;
        }
        return saveInForeground("SAVE") ? null : "ERR";
    }

    /**
     * Writes a snapshot on the calling thread and records it as the last save; returns whether it
     * worked (a failure is logged as {@code what} failed). It holds the engine while it writes, so
     * the snapshot engine reads the live data set (no point-in-time view needed), even beside a
     * rewrite's view, as Redis saves in the foreground beside its rewriting child.
     */
    private boolean saveInForeground(String what) {
        long dirtyAtStart = engine.dirty();
        lock.lock();
        foregroundSave = true;
        try {
            snapshots.snapshot(false).toCompletableFuture().join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            LOG.warn("{} failed: {}", what, e.getCause() == null ? e.toString() : e.getCause().toString());
            return false;
        } finally {
            foregroundSave = false;
            lock.unlock();
        }
        saved(dirtyAtStart);
        return true;
    }

    private void saved(long dirtyAtStart) {
        dirtyAtLastSave = dirtyAtStart;
        lastSaveMillis = engine.clock().currentTimeMillis();
        lastBgsaveOk = true;
    }

    /**
     * BGSAVE [SCHEDULE]: the reply text, {@code Background saving started} or
     * {@code Background saving scheduled}, or an error reply starting with {@code ERR}.
     */
    public String bgsave(boolean schedule) {
        if (!takesSnapshots()) {
            return unavailable("BGSAVE");
        }
        if (bgsaveRunning) {
            // Redis 7.0 schedules only behind a rewrite; behind a save, SCHEDULE changes nothing.
            return BGSAVE_IN_PROGRESS;
        }
        if (logHoldsView()) {
            if (schedule) {
                bgsaveScheduled = true;
                return "Background saving scheduled";
            }
            return BGSAVE_AOF_ACTIVE;
        }
        String error = startBackgroundSave();
        return error == null ? "Background saving started" : error;
    }

    /**
     * BGREWRITEAOF: the reply text, {@code Background append only file rewriting started} (or
     * {@code scheduled}, behind a running BGSAVE), or an error reply starting with {@code ERR}.
     */
    public String bgrewriteaof() {
        if (log == null) {
            if (logProvider() == null) {
                return "ERR Background append only file rewriting is not possible: no persistence provider keeps a log"
                        + " (add cellar-persistence-aof)";
            }
            if (offLog != null) {
                return "ERR Background append only file rewriting already in progress";
            }
            if (logRewriteScheduled || engine.snapshotInProgress()) {
                logRewriteScheduled = true;
                return "Background append only file rewriting scheduled";
            }
            return startOffLogRewrite();
        }
        if (openHandle != null && openHandle.log) {
            return "ERR Background append only file rewriting already in progress";
        }
        if (logBeginScheduled || engine.snapshotInProgress()) {
            logRewriteScheduled = !logBeginScheduled;
            return "Background append only file rewriting scheduled";
        }
        return startLogRewrite();
    }

    private String startLogRewrite() {
        logRewriteScheduled = false;
        String error = rewriteStartError(call(log::rewrite));
        return error == null ? "Background append only file rewriting started" : error;
    }

    /**
     * BGREWRITEAOF while the log is off: a log engine of the log's provider, neither loaded nor
     * begun, writes a base alone and a manifest naming it (see {@link PersistenceEngine#rewrite()}).
     */
    private String startOffLogRewrite() {
        logRewriteScheduled = false;
        PersistenceProvider provider = logProvider();
        PersistenceEngine e;
        try {
            e = provider.create(logContext);
            logName = provider.name();
        } catch (RuntimeException ex) {
            LOG.warn("Can't rewrite append only file in background: the '{}' provider failed: {}", provider.name(),
                    ex.toString());
            return "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";
        }
        CompletableFuture<Void> f = call(e::rewrite);
        String error = rewriteStartError(f);
        if (error != null) {
            keepCountersAndClose(e);
            return error;
        }
        offLog = e;
        offLogDone = f;
        return "Background append only file rewriting started";
    }

    /** Closes the off-log engine once its base is in place (or failed), keeping its counters. */
    private void finishOffLog() {
        PersistenceEngine e = offLog;
        offLog = null;
        offLogDone = null;
        keepCountersAndClose(e);
    }

    /** Calls a provider's asynchronous operation; one that throws instead is a failed stage. */
    private static CompletableFuture<Void> call(java.util.function.Supplier<CompletionStage<Void>> operation) {
        try {
            return operation.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The reason a completed stage failed, unwrapped from its {@link CompletionException}. */
    private static Throwable failureOf(CompletableFuture<?> f) {
        return f.handle((v, e) -> unwrap(e)).join();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
    }

    /** Null when the rewrite started, else BGREWRITEAOF's error reply (the reason logged). */
    private String rewriteStartError(CompletableFuture<Void> f) {
        if (f.isCompletedExceptionally()) {
            Throwable cause = failureOf(f);
            if (cause instanceof IllegalStateException) {
                return "ERR Background append only file rewriting already in progress";
            }
            if (cause instanceof UnsupportedOperationException) {
                return "ERR Background append only file rewriting is not possible with the '" + logName
                        + "' provider: " + cause.getMessage();
            }
            LOG.warn("Can't rewrite append only file in background: {}", cause == null ? "?" : cause.toString());
            return "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.";
        }
        return null;
    }

    /** Starts a background save; returns null or the error reply. */
    private String startBackgroundSave() {
        bgsaveScheduled = false;
        bgsaveRunning = true;
        bgsaveStartMillis = engine.clock().currentTimeMillis();
        lastBgsaveTryMillis = bgsaveStartMillis;
        long startNanos = System.nanoTime();
        dirtyAtSaveStart = engine.dirty();
        CompletableFuture<Void> f = call(() -> snapshots.snapshot(true));
        if (f.isCompletedExceptionally()) {
            // failed before it began (like a fork failure): nothing ran in the background
            bgsaveRunning = false;
            bgsaveHandle = null;
            lastBgsaveOk = false;
            Throwable cause = failureOf(f);
            LOG.warn("Can't save in background: {}", cause.toString());
            return "ERR Can't save in background: " + cause.getMessage();
        }
        LOG.info("Background saving started");
        saves++; // as Redis counts a BGSAVE once its child runs, whatever its end
        f.whenComplete((v, e) -> {
            lock.lock();
            try {
                backgroundSaveDone(e, startNanos);
            } finally {
                lock.unlock();
            }
        });
        return null;
    }

    private void backgroundSaveDone(Throwable failure, long startNanos) {
        bgsaveRunning = false;
        lastBgsaveTimeSec = (System.nanoTime() - startNanos) / 1_000_000_000L;
        if (bgsaveKilled) {
            bgsaveKilled = false;
            bgsaveHandle = null;
            LOG.warn("Background saving terminated by FLUSHALL");
            return;
        }
        // The view may be open or closed here (a provider may complete before it closes its handle);
        // either way its walk has ended, so its count is final. Another view's (an AOF rewrite's) is
        // not this save's: Redis keeps rdb_last_cow_size and aof_last_cow_size apart.
        lastCowSize = bgsaveHandle == null ? 0 : bgsaveHandle.copiedBytes();
        bgsaveHandle = null;
        if (failure == null) {
            saved(dirtyAtSaveStart);
            LOG.info("Background saving terminated with success");
        } else {
            lastBgsaveOk = false;
            Throwable cause = unwrap(failure);
            LOG.warn("Background saving error: {}", cause.toString());
        }
    }

    /**
     * After FLUSHALL, as Redis's {@code flushallCommand}: a running BGSAVE is stopped (Redis kills
     * the child; its end changes no status) and, with save points configured, the empty data set
     * is saved at once, so that a restart does not bring the flushed keys back from the last
     * snapshot. Redis answers OK whether that save works or not; a failure is logged. The save
     * counts as a save for {@code rdb_changes_since_last_save} and LASTSAVE, not in {@code rdb_saves}
     * (redis-server 7.0.15 shows the same). The snapshot engine must not let the stopped BGSAVE's
     * file replace this one (the RDB engine renames saves in the order they started).
     */
    public void flushedAll() {
        if (!takesSnapshots()) {
            return;
        }
        if (bgsaveRunning && !bgsaveKilled) {
            bgsaveKilled = true;
            if (bgsaveHandle != null) {
                bgsaveHandle.close(); // its walk stops at the next slice
            }
        }
        if (savePoints().length > 0) {
            saveInForeground("Saving the empty data set after FLUSHALL");
        }
    }

    /** LASTSAVE: the Unix time in seconds of the last successful save (or of start-up). */
    public long lastSave() {
        return lastSaveMillis / 1000;
    }

    /** Whether a background save is running. */
    public boolean backgroundSaveInProgress() {
        return bgsaveRunning;
    }

    /** Changes since the last successful save ({@code rdb_changes_since_last_save}). */
    public long changesSinceLastSave() {
        long d = engine.dirty();
        if (d < dirtyAtLastSave) {
            dirtyAtLastSave = 0; // the engine's counter was reset
        }
        return d - dirtyAtLastSave;
    }

    /** The {@code save} points: pairs of seconds and changes, empty when disabled. */
    public long[][] savePoints() {
        return dev.cellar.core.engine.SaveParams.parse(engine.settings().get("save"));
    }

    /** The MISCONF refusal (or the provider's own), consulted before every write command. */
    public String refuseWritesReason() {
        if (!lastBgsaveOk && engine.settings().getBool("stop-writes-on-bgsave-error") && savePoints().length > 0) {
            return MISCONF;
        }
        String reason = snapshots == null ? null : snapshots.refuseWritesReason();
        return reason == null && log != null ? log.refuseWritesReason() : reason;
    }

    /**
     * The time-driven part of Redis's {@code serverCron} for persistence: a scheduled BGSAVE, the
     * save points, and the provider's own work. Called {@code hz} times a second with the lock held.
     * Work that needs the point-in-time view waits while it is taken: first the log's (a scheduled
     * first base or BGREWRITEAOF), then a scheduled BGSAVE, then the save points, as Redis orders them.
     */
    public void cron() {
        if ((snapshots == null && log == null && offLog == null && !logRewriteScheduled) || engine.loading()) {
            return;
        }
        long nowMillis = engine.clock().currentTimeMillis();
        if (offLog != null && offLogDone.isDone()) {
            finishOffLog();
        }
        if (log != null && logBeginScheduled && offLog == null && !engine.snapshotInProgress()
                && nowMillis >= nextBeginTryMillis) {
            if (!beginLog()) {
                logBeginScheduled = true; // appendonly stays yes, as in Redis: tried again
                nextBeginTryMillis = nowMillis + BGSAVE_RETRY_DELAY_MILLIS;
            }
        }
        if (logRewriteScheduled && offLog == null && !engine.snapshotInProgress()) {
            String reply = log != null ? startLogRewrite() : startOffLogRewrite();
            if (reply.startsWith("ERR")) {
                LOG.warn("The scheduled AOF rewrite did not start: {}", reply);
            }
        }
        if (takesSnapshots() && !bgsaveRunning && !engine.snapshotInProgress()) {
            long now = engine.clock().currentTimeMillis();
            if (bgsaveScheduled) {
                startBackgroundSave();
            } else {
                long changes = changesSinceLastSave();
                for (long[] point : savePoints()) {
                    if (changes >= point[1] && now - lastSaveMillis > point[0] * 1000
                            && (lastBgsaveOk || now - lastBgsaveTryMillis > BGSAVE_RETRY_DELAY_MILLIS)) {
                        LOG.info("{} changes in {} seconds. Saving...", point[1], point[0]);
                        startBackgroundSave();
                        break;
                    }
                }
            }
        }
        if (snapshots != null) {
            snapshots.cron();
        }
        if (log != null) {
            log.cron();
        }
    }

    // ------------------------------------------------------------------ shutdown, DEBUG RELOAD

    /**
     * SHUTDOWN's persistence step, as Redis's {@code prepareForShutdown}: stops a background save,
     * then saves when {@code save} is true, or when it is null and save points are configured
     * (false is NOSAVE). Returns null, or the error reply when the save failed (the caller then
     * does not shut down, unless forced).
     */
    public String saveOnShutdown(Boolean save) {
        if (snapshots == null && log == null) {
            return null;
        }
        abortBackgroundSave();
        if (openHandle != null && openHandle.log) {
            LOG.info("Killing the AOF rewrite");
            openHandle.close(); // as Redis kills its rewrite child; the log itself is flushed at close
        }
        boolean wanted = save == null ? savePoints().length > 0 : save;
        if (!wanted || !takesSnapshots()) {
            return null;
        }
        LOG.info("Saving the final RDB snapshot before exiting.");
        String error = saveNow();
        if (error != null) {
            LOG.warn("Error trying to save the DB, can't exit.");
            return "ERR Errors trying to SHUTDOWN. Check logs.";
        }
        return null;
    }

    /** Stops a running background save: its view is closed, so it fails and removes its temporary file. */
    public void abortBackgroundSave() {
        if (bgsaveRunning && openHandle != null && !openHandle.log) {
            LOG.info("Killing the background saving");
            openHandle.close();
        }
    }

    /**
     * DEBUG RELOAD: saves, empties every database and loads the file again, all under the lock.
     * Returns null, or the error reply.
     */
    public String debugReload() {
        return debugReload(true, true);
    }

    /**
     * DEBUG RELOAD with Redis's options: {@code save} false is NOSAVE (load the file as it is),
     * {@code flush} false is NOFLUSH (load over the keys in memory; a key in both takes the file's
     * value, as with Redis's MERGE, where Redis without MERGE stops the server on the duplicate).
     */
    public String debugReload(boolean save, boolean flush) {
        if (!takesSnapshots()) {
            return unavailable("DEBUG RELOAD");
        }
        if (save) {
            String error = saveNow();
            if (error != null) {
                return "ERR Error trying to save the DB";
            }
        }
        String error = replaceDataSet(snapshots::load, flush, "DEBUG RELOAD",
                "ERR Error trying to load the RDB dump, check server logs.");
        if (error == null) {
            LOG.warn("DB reloaded by DEBUG RELOAD");
        }
        return error;
    }

    /**
     * DEBUG RELOAD's and DEBUG LOADAOF's common part: empties every database and loads from
     * {@code source}. The same data set comes back: an open log already describes it, so the
     * rebuilding is not logged, and it does not count as changes. Returns null, or {@code error}.
     */
    private String replaceDataSet(PersistenceEngine.Reload source, boolean flush, String what, String error) {
        for (int i = 0; flush && i < engine.databases(); i++) {
            engine.db(i).clear();
        }
        long dirty = engine.dirty();
        reloading = true;
        try {
            loadInto(source);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: loading failed", what, e);
            return error;
        } finally {
            reloading = false;
        }
        dirtyAtLastSave += engine.dirty() - dirty;
        return null;
    }

    /**
     * DEBUG LOADAOF: writes out the log's buffer, empties every database and loads the log's files
     * again, all under the lock, as Redis's {@code debugCommand} does (it exits when the load fails
     * or no AOF exists; Cellar answers an error and keeps running). Returns null, or the error reply.
     */
    public String debugLoadAof() {
        if (log == null) {
            return "ERR DEBUG LOADAOF needs the append only file: appendonly is no";
        }
        PersistenceEngine.Reload reload;
        try {
            reload = log.reload();
        } catch (IOException | RuntimeException e) {
            return "ERR DEBUG LOADAOF refused, the data set is unchanged: " + e.getMessage();
        }
        String error = replaceDataSet(reload, true, "DEBUG LOADAOF",
                "ERR Error trying to load the AOF files, check server logs.");
        if (error == null) {
            LOG.warn("Append Only File loaded by DEBUG LOADAOF");
        }
        return error;
    }

    // ------------------------------------------------------------------ RESTORE

    /**
     * Adds {@code key} (absent) to {@code db} holding {@code value}, built with the engine's own
     * encodings (RESTORE), as a load builds it ({@link ValueBuilder}).
     */
    public void restoreValue(Engine target, dev.cellar.core.engine.Db db, byte[] key, DataValue value) {
        if (value instanceof DataValue.StringData s) {
            db.setKey(key, s.bytes(), false);
            return;
        }
        db.add(key, ValueBuilder.build(target.settings(), value));
    }

    /** Sets a key's LRU idle time or LFU counter as a snapshot or RESTORE gives them (-1: not given). */
    public void setAccessStatistics(dev.cellar.core.engine.Db db, byte[] key, long lruIdleMillis, int lfuFrequency) {
        int meta = metaWord(lruIdleMillis, lfuFrequency);
        if (meta < 0) {
            return;
        }
        Dict dict = db.dict();
        int slot = dict.find(key);
        if (slot >= 0) {
            dict.setMetaAt(slot, meta);
        }
    }

    /** The access statistics word for a recorded idle time or LFU counter, or -1 when none applies. */
    private int metaWord(long lruIdleMillis, int lfuFrequency) {
        if (engine.accessTracker().lfu()) {
            if (lfuFrequency < 0) {
                return -1;
            }
            int minutes = (int) ((engine.clock().currentTimeMillis() / 60000) & 0xffff);
            return (minutes << 8) | Math.min(lfuFrequency, 255);
        }
        if (lruIdleMillis < 0) {
            return -1;
        }
        int clock = engine.accessTracker().lruClock();
        return (int) ((clock - lruIdleMillis / 1000) & ((1 << 24) - 1));
    }

    // ------------------------------------------------------------------ INFO

    /**
     * INFO's persistence section as Redis 7.0 prints it (field order included): loading, the
     * {@code rdb_*} fields (the snapshot engine's own among them), then the log's {@code aof_*}
     * fields (Redis's values for no log when none is open, the last log's counters kept), then
     * the {@code loading_*} fields while loading.
     */
    public Map<String, String> info() {
        Map<String, String> info = new LinkedHashMap<>();
        boolean loading = engine.loading();
        long now = engine.clock().currentTimeMillis();
        info.put("loading", loading ? "1" : "0");
        info.put("async_loading", "0");
        info.put("current_cow_peak", "0");
        // any open view, a BGSAVE's or an AOF rewrite's, as Redis reports its active child's
        info.put("current_cow_size", Long.toString(engine.snapshotCopiedBytes()));
        info.put("current_cow_size_age", "0");
        // the open view's walk, as Redis reports its active child's (Cellar's "fork" is the view)
        long[] progress = engine.snapshotProgress();
        info.put("current_fork_perc", String.format(java.util.Locale.ROOT, "%.2f",
                progress[1] == 0 ? 0.0 : progress[0] * 100.0 / progress[1]));
        info.put("current_save_keys_processed", Long.toString(progress[0]));
        info.put("current_save_keys_total", Long.toString(progress[1]));
        info.put("rdb_changes_since_last_save", Long.toString(changesSinceLastSave()));
        info.put("rdb_bgsave_in_progress", bgsaveRunning ? "1" : "0");
        info.put("rdb_last_save_time", Long.toString(lastSaveMillis / 1000));
        info.put("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
        info.put("rdb_last_bgsave_time_sec", Long.toString(lastBgsaveTimeSec));
        info.put("rdb_current_bgsave_time_sec", bgsaveRunning ? Long.toString((now - bgsaveStartMillis) / 1000) : "-1");
        info.put("rdb_saves", Long.toString(saves));
        info.put("rdb_last_cow_size", Long.toString(lastCowSize));
        info.put("rdb_last_load_keys_expired", "0");
        info.put("rdb_last_load_keys_loaded", "0");
        if (snapshots != null) {
            info.putAll(snapshots.info());
        }
        // The open log's fields, or those of the engine writing a base while the log is off (the
        // log staying off), or the last log's kept ones. A live engine counts only its own rewrites.
        Map<String, String> live = log != null ? log.info() : offLog != null ? offLog.info() : Map.of();
        for (String[] field : AOF_DEFAULTS) {
            info.put(field[0], live.getOrDefault(field[0], lastLogInfo.getOrDefault(field[0], field[1])));
        }
        if (!live.isEmpty()) {
            info.put("aof_rewrites", Long.toString(parseLong(info.get("aof_rewrites")) + logRewritesBefore));
        }
        if (log == null) {
            info.put("aof_enabled", "0");
        }
        if (logBeginScheduled || logRewriteScheduled) {
            info.put("aof_rewrite_scheduled", "1");
        }
        Map<String, String> own = log == null ? Map.of() : live;
        info.put("module_fork_in_progress", "0");
        info.put("module_fork_last_cow_size", "0");
        for (Map.Entry<String, String> e : own.entrySet()) {
            info.putIfAbsent(e.getKey(), e.getValue());
        }
        if (loading) {
            long total = loadingTotalBytes;
            long loaded = loadingLoadedBytes;
            double perc = total == 0 ? 0 : loaded * 100.0 / total;
            long elapsed = Math.max(0, (now - loadingStartMillis) / 1000);
            info.put("loading_start_time", Long.toString(loadingStartMillis / 1000));
            info.put("loading_total_bytes", Long.toString(total));
            info.put("loading_rdb_used_mem", Long.toString(loadingRdbUsedMem));
            info.put("loading_loaded_bytes", Long.toString(loaded));
            info.put("loading_loaded_perc", String.format(java.util.Locale.ROOT, "%.2f", perc));
            info.put("loading_eta_seconds", Long.toString(loaded == 0 ? 1 : (long) ((total - loaded) / (loaded / Math.max(1.0, elapsed)))));
        }
        return info;
    }

    /** INFO persistence as text, {@code # Persistence} and {@code field:value} lines (the embedded INFO). */
    public String infoText() {
        StringBuilder sb = new StringBuilder("# Persistence\r\n");
        info().forEach((k, v) -> sb.append(k).append(':').append(v).append("\r\n"));
        return sb.toString();
    }

    /** Stops a background save or rewrite and closes the engines (the log flushed and fsynced); the caller holds the lock. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        abortBackgroundSave();
        if (openHandle != null) {
            openHandle.close();
        }
        IOException failure = null;
        for (PersistenceEngine p : new PersistenceEngine[] {log, offLog, snapshots}) {
            try {
                if (p != null) {
                    p.close();
                }
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ------------------------------------------------------------------ PersistenceContext

    /** The store's settings as they are now (CONFIG SET included), Redis names. */
    @Override
    public CellarConfig config() {
        CellarConfig.Builder b = CellarConfig.builder().clock(config.clock());
        for (dev.cellar.core.engine.Settings.Param p : engine.settings().all()) {
            if (p.value() != null) {
                b.set(p.name(), p.value());
            }
        }
        b.set("cellar-used-memory", Long.toString(engine.usedMemory()));
        return b.build();
    }

    @Override
    public Path dir() {
        return Path.of(engine.settings().get("dir"));
    }

    @Override
    public int databases() {
        return engine.databases();
    }

    @Override
    public CellarClock clock() {
        return engine.clock();
    }

    /**
     * Takes the engine's point-in-time view. A running one can be stopped at shutdown; the one a
     * BGSAVE takes (the provider takes it while {@link #startBackgroundSave} waits) gives
     * {@code rdb_last_cow_size} when the save ends.
     */
    @Override
    public SnapshotHandle snapshot() {
        return snapshot(false);
    }

    private SnapshotHandle snapshot(boolean forLog) {
        lock.lock();
        try {
            if (foregroundSave && !forLog) {
                return engine.openLiveView();
            }
            Handle h = new Handle(engine.openSnapshot(lock), forLog);
            openHandle = h;
            if (bgsaveRunning) {
                bgsaveHandle = h;
            }
            return h;
        } finally {
            lock.unlock();
        }
    }

    /** The host as one engine's context: the same store, with views marked as the log's or not. */
    private final class RoleContext implements PersistenceContext {
        private final boolean forLog;

        RoleContext(boolean forLog) {
            this.forLog = forLog;
        }

        @Override
        public CellarConfig config() {
            return PersistenceHost.this.config();
        }

        @Override
        public Path dir() {
            return PersistenceHost.this.dir();
        }

        @Override
        public int databases() {
            return PersistenceHost.this.databases();
        }

        @Override
        public CellarClock clock() {
            return PersistenceHost.this.clock();
        }

        @Override
        public SnapshotHandle snapshot() {
            return PersistenceHost.this.snapshot(forLog);
        }

        @Override
        public boolean snapshotInProgress() {
            return engine.snapshotInProgress();
        }
    }

    private final class Handle implements SnapshotHandle {
        private final SnapshotHandle inner;
        /** Taken by the log (a rewrite), not by the snapshot engine. */
        final boolean log;
        private boolean closed;

        Handle(SnapshotHandle inner, boolean log) {
            this.inner = inner;
            this.log = log;
        }

        @Override
        public dev.cellar.spi.persistence.SnapshotView view() {
            return inner.view();
        }

        @Override
        public long copiedBytes() {
            return inner.copiedBytes();
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (openHandle == this) {
                    openHandle = null;
                }
                inner.close();
            } finally {
                lock.unlock();
            }
        }
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads values by running the commands that build them, so every value gets the encoding the
     * engine would give it; while loading nothing expires and nothing is propagated to the engine
     * being loaded from.
     */
    private final class Sink implements LoadSink {
        private final Session session = new Session();
        private long operations;

        /** Counts a key or command loaded; every 1,024th lends the lock ({@link #lendLock}). */
        private void tick() {
            if (++operations % 1024 == 0) {
                lendLock();
            }
        }

        /**
         * Called every 1,024 keys or commands and at each progress report: reads the clock for what
         * is loaded next ({@link Engine#refreshLoadingTime}; no clock read per key), and lets
         * threads waiting for the engine lock run (they get {@code LOADING}), as Redis processes
         * events while loading. The lock only when the loading thread holds it once.
         */
        private void lendLock() {
            engine.refreshLoadingTime();
            if (!(lock instanceof java.util.concurrent.locks.ReentrantLock r) || r.getHoldCount() != 1
                    || !r.hasQueuedThreads()) {
                return;
            }
            r.unlock();
            try {
                for (int i = 0; i < 100 && r.hasQueuedThreads(); i++) {
                    Thread.yield();
                }
            } finally {
                r.lock();
            }
        }

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis, long lruIdleMillis, int lfuFrequency) {
            if (value instanceof DataValue.StringData str) {
                tick();
                // The common case in one probe: no command, no change records.
                if (engine.db(db).loadString(key, str.bytes(), expireAtMillis, metaWord(lruIdleMillis, lfuFrequency))) {
                    return;
                }
            }
            put(db, key, value, expireAtMillis);
            setAccessStatistics(engine.db(db), key, lruIdleMillis, lfuFrequency);
        }

        @Override
        public void reserve(int db, long keys, long expires) {
            if (db >= 0 && db < engine.databases()) {
                engine.db(db).reserve(keys, expires);
            }
        }

        /** Logs what Redis logs of a snapshot's header fields ({@code rdbLoadRioWithLoadingCtx}). */
        @Override
        public void snapshotField(String name, String value) {
            String field = name.toLowerCase(java.util.Locale.ROOT);
            if (field.startsWith("%")) {
                LOG.info("RDB '{}': {}", name, value); // information fields, by the AUX contract
                return;
            }
            switch (field) {
                case "redis-ver" -> LOG.info("Loading RDB produced by version {}", value);
                case "ctime" -> LOG.info("RDB age {} seconds",
                        Math.max(0, engine.clock().currentTimeMillis() / 1000 - Numbers.strtoll(value, null)));
                case "used-mem" -> {
                    long used = Numbers.strtoll(value, null);
                    LOG.info("RDB memory usage when created {} Mb", new java.math.BigDecimal(used / (1024.0 * 1024))
                            .setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString());
                    loadingRdbUsedMem = used;
                }
                case "aof-preamble" -> {
                    if (Numbers.strtoll(value, null) != 0) {
                        LOG.info("RDB has an AOF tail");
                    }
                }
                case "aof-base" -> {
                    if (Numbers.strtoll(value, null) != 0) {
                        LOG.info("RDB is base AOF");
                    }
                }
                case "redis-bits", "lua", "repl-stream-db", "repl-id", "repl-offset" -> {
                    // known, and nothing to log (Cellar keeps no scripts and is not a replica)
                }
                default -> LOG.debug("Unrecognized RDB AUX field: '{}'", name);
            }
        }

        @Override
        public void snapshotLoaded(long keysLoaded, long keysExpired, long emptyKeysSkipped) {
            if (emptyKeysSkipped > 0) {
                LOG.info("Done loading RDB, keys loaded: {}, keys expired: {}, empty keys skipped: {}.", keysLoaded,
                        keysExpired, emptyKeysSkipped);
            } else {
                LOG.info("Done loading RDB, keys loaded: {}, keys expired: {}.", keysLoaded, keysExpired);
            }
        }

        @Override
        public void progress(long loadedBytes, long totalBytes) {
            loadingLoadedBytes = loadedBytes;
            loadingTotalBytes = totalBytes;
            lendLock();
        }

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
            tick();
            dev.cellar.core.engine.Db d = engine.db(db);
            if (d.dict().find(key) >= 0) {
                replay(db, new byte[][] {b("DEL"), key});
            }
            if (value instanceof DataValue.StringData str) {
                d.setKey(key, str.bytes(), false);
                if (expireAtMillis >= 0) {
                    d.setExpire(key, expireAtMillis);
                }
            } else {
                d.addLoaded(key, (dev.cellar.core.values.RValue) ValueBuilder.build(engine.settings(), value),
                        expireAtMillis);
            }
            engine.settleMemory(); // each loaded key is its own unit: there is no command around it
        }

        @Override
        public String replay(int db, byte[][] argv) {
            tick();
            CommandSpec spec = engine.commands().lookup(argv[0]);
            if (spec == null) {
                return "unknown command '" + new String(argv[0], StandardCharsets.UTF_8) + "'";
            }
            spec = spec.forArgs(argv);
            if (spec == null) {
                return "unknown subcommand";
            }
            if (!spec.arityAccepts(argv.length)) {
                return "wrong number of arguments for '" + spec.name() + "'";
            }
            session.selectDb(db);
            Reply r = engine.callLoading(session, spec, argv);
            return r instanceof Reply.Error e ? e.message() : null;
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
