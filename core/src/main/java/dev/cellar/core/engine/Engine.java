package dev.cellar.core.engine;

import dev.cellar.api.CellarClock;
import dev.cellar.api.Reply;
import dev.cellar.core.values.ValueType;
import dev.cellar.spi.persistence.PropagatedWrite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The engine's state and its dispatcher (Redis's {@code server} struct and {@code call()}).
 *
 * <p>Concurrency: nothing here is thread-safe. Every method runs on whichever thread holds the
 * engine lock (see {@code CellarEngine}); that lock is what makes commands atomic and gives writes
 * their one total order (design invariant 1).
 *
 * <p>Propagation: a command's writes are collected during its execution unit (a command, or a
 * whole EXEC) as {@link PropagatedWrite}s: first whatever it propagated explicitly (expired keys
 * as DEL, rewritten forms), then the command itself if it made the data set dirty and did not
 * replace its own form. A unit with more than one write is wrapped in MULTI/EXEC. The result is
 * handed to every {@link #addWriteListener write listener} in order.
 */
public final class Engine {
    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    final Settings settings;
    final CellarClock clock;
    final CommandTable commands;
    final Db[] dbs;
    private final long startupMemory;
    private long peakMemory;
    final Stats stats = new Stats();
    final RandomGenerator random;
    final AccessTracker accessTracker;
    /** Client-side caching (the server's), or null. */
    private ClientTracking clientTracking;
    /** The session whose command runs now (for CLIENT TRACKING's NOLOOP), or null. */
    private Session callingSession;
    /** The {@code maxmemory} setting, read once per command without a by-name lookup. */
    private final Settings.Param maxmemory;
    /** {@code latency-tracking}: whether calls are timed into their command's {@link LatencyHistogram}. */
    private final Settings.Param latencyTracking;

    /** True while a persistence engine loads: keys do not expire and replies are not sent. */
    boolean loading;
    private long commandTimeMillis;
    /** What {@link #call} measured last, in microseconds (its handler's run time). */
    private long lastCallMicros;
    /** The run time of the command {@link #process} ran last; 0 when it ran none (queued, refused). */
    private long processedMicros;
    /** While a served blocked client's reply is delivered: its command; else null. */
    private Served served;
    private int callDepth;
    long dirty;

    private final List<Consumer<PropagatedWrite>> writeListeners = new CopyOnWriteArrayList<>();
    private final List<PropagatedWrite> pendingWrites = new ArrayList<>();
    private boolean inExec;

    /** The keys tracked in this execution unit (see {@link #track}): parallel arrays, no boxing. */
    private Db[] trackedDbs = new Db[8];
    private byte[][] trackedKeys = new byte[8][];
    private long[] trackedBytes = new long[8];
    private int trackedCount;
    /** Positions of the tracked keys, kept while a unit tracks more than a scan should cover; else empty. */
    private final Map<DbKey, Integer> trackedIndex = new HashMap<>();
    private static final int TRACK_SCAN_LIMIT = 16;

    final Map<DbKey, List<Session>> watchers = new HashMap<>();
    final Map<DbKey, ArrayDeque<Session>> blockedOnKey = new HashMap<>();
    final Set<DbKey> readyKeys = new LinkedHashSet<>();
    final Set<Session> blockedSessions = new LinkedHashSet<>();
    /** The ready key a blocked command is being re-run for (see {@link Ctx#servedReadyKey()}), else null. */
    byte[] servingReadyKey;

    private KeyspaceListener keyspaceListener = KeyspaceListener.NONE;
    private Eviction eviction;
    /** The open point-in-time view, or null: every change asks it to keep the old state first. */
    private ForklessSnapshot snapshot;

    /** The deadline of a blocked command being re-run after a wake-up, or -1: it keeps its first deadline. */
    long reblockDeadline = -1;
    /** Returns an error message when writes must be refused (persistence failures), else null. */
    private java.util.function.Supplier<String> writeGate = () -> null;

    /** A database index and key, as a map key. */
    public record DbKey(int db, ByteKey key) {}

    public Engine(Settings settings, CellarClock clock, CommandTable commands, long seed) {
        this.settings = settings;
        this.clock = clock;
        this.commands = commands;
        this.random = seed == 0 ? new SplittableRandom() : new SplittableRandom(seed);
        this.accessTracker = new AccessTracker(this);
        this.maxmemory = settings.param("maxmemory");
        this.latencyTracking = settings.param("latency-tracking");
        int n = settings.getInt("databases");
        this.dbs = new Db[n];
        for (int i = 0; i < n; i++) {
            dbs[i] = new Db(this, i);
        }
        this.commandTimeMillis = clock.currentTimeMillis();
        this.startupMemory = usedMemory();
        this.peakMemory = startupMemory;
    }

    // ------------------------------------------------------------------ accessors

    /** The settings registry. */
    public Settings settings() {
        return settings;
    }

    /** The clock. */
    public CellarClock clock() {
        return clock;
    }

    /** The command table. */
    public CommandTable commands() {
        return commands;
    }

    /** The number of databases. */
    public int databases() {
        return dbs.length;
    }

    /** A database by index. */
    public Db db(int index) {
        return dbs[index];
    }

    /** Statistics for INFO. */
    public Stats stats() {
        return stats;
    }

    /** The engine's random source. */
    public RandomGenerator random() {
        return random;
    }

    /**
     * The time of the current execution unit in Unix milliseconds: fixed while a command or EXEC
     * runs, and while loading between two {@link #refreshLoadingTime()} (a loaded key's access time,
     * a replayed command's relative expiry), as Redis loads with its cached clock.
     */
    public long now() {
        return callDepth > 0 || loading ? commandTimeMillis : clock.currentTimeMillis();
    }

    /**
     * Reads the clock for what a load creates next ({@link #now()} while loading): a loader calls
     * it every so many keys or commands rather than the clock being read for each.
     */
    public void refreshLoadingTime() {
        commandTimeMillis = clock.currentTimeMillis();
    }

    /** Changes since the last save (Redis's {@code server.dirty}). */
    public long dirty() {
        return dirty;
    }

    /** Resets the change counter after a save. */
    public void resetDirty() {
        dirty = 0;
    }

    /** Whether the engine is loading persisted data. */
    public boolean loading() {
        return loading;
    }

    /** Marks the start or end of loading. */
    public void setLoading(boolean loading) {
        boolean was = this.loading;
        if (loading && !was) {
            settleMemory(); // changes made before loading are settled the usual way
            refreshLoadingTime();
        }
        this.loading = loading;
        if (was && !loading) {
            // While loading, memory accounts are not kept per change (see track): count them once.
            Arrays.fill(trackedDbs, 0, trackedCount, null);
            Arrays.fill(trackedKeys, 0, trackedCount, null);
            trackedCount = 0;
            trackedIndex.clear();
            for (Db db : dbs) {
                db.recountMemory();
            }
        }
    }

    /** The access tracker (LRU clock / LFU counters). */
    public AccessTracker accessTracker() {
        return accessTracker;
    }

    /** Sets the listener for keyspace notifications (the server's Pub/Sub). */
    public void setKeyspaceListener(KeyspaceListener listener) {
        this.keyspaceListener = listener;
    }

    /** Sets the check that refuses writes (MISCONF) while persistence is failing. */
    public void setWriteGate(java.util.function.Supplier<String> gate) {
        this.writeGate = gate;
    }

    /** Sets the eviction machinery. */
    void setEviction(Eviction eviction) {
        this.eviction = eviction;
    }

    /** The eviction machinery. */
    public Eviction eviction() {
        return eviction;
    }

    /** Adds a receiver of the propagated write stream. */
    public void addWriteListener(Consumer<PropagatedWrite> listener) {
        writeListeners.add(listener);
    }

    /** Removes a receiver of the propagated write stream. */
    public void removeWriteListener(Consumer<PropagatedWrite> listener) {
        writeListeners.remove(listener);
    }

    // ------------------------------------------------------------------ dispatch

    /**
     * Processes one command from a session, as Redis's {@code processCommand}: lookup, arity,
     * MULTI queueing, memory limit, write gate, then {@link #call}. Returns {@link Session#BLOCKED}
     * when the session blocked; its reply comes later through the session.
     */
    public Reply process(Session session, byte[][] argv) {
        processedMicros = 0;
        CommandSpec spec = commands.lookup(argv[0]);
        if (spec == null) {
            session.flagMultiError();
            return rejected(Errors.unknownCommand(argv));
        }
        // A subcommand is counted, timed and checked as itself (cmdstat_command|count).
        CommandSpec target = spec.forArgs(argv);
        if (target == null) {
            session.flagMultiError();
            return rejected(Errors.unknownSubcommand(Args.lower(argv[0]), argv[1]));
        }
        spec = target;
        if (!spec.arityAccepts(argv.length)) {
            spec.rejectedCalls++;
            session.flagMultiError();
            return rejected(spec.parent() != null
                    ? "ERR wrong number of arguments for '" + spec.name() + "' command"
                    : Errors.arity(spec.name()));
        }
        if (loading && !spec.has(CommandFlag.LOADING)) {
            spec.rejectedCalls++;
            return rejected("LOADING Redis is loading the dataset in memory");
        }
        if (session.inMulti() && !isTransactionControl(spec)) {
            if (spec.has(CommandFlag.NO_MULTI)) {
                session.flagMultiError();
                return rejected("ERR Command not allowed inside a transaction");
            }
            session.queue(spec, argv);
            return Reply.QUEUED;
        }
        boolean denyoom = spec.has(CommandFlag.DENYOOM)
                || (spec.shortName().equals("exec") && session.queuedDenyOom());
        if (eviction != null && maxmemory.longValue > 0) {
            boolean ok = eviction.performEvictions();
            if (!ok && denyoom) {
                spec.rejectedCalls++;
                session.discardTransactionIfExec(spec);
                return rejected(Errors.OOM);
            }
        }
        if (spec.has(CommandFlag.WRITE) || (spec.shortName().equals("exec") && session.queuedWrite())) {
            String refusal = writeGate.get();
            if (refusal != null) {
                spec.rejectedCalls++;
                session.discardTransactionIfExec(spec);
                return rejected(refusal);
            }
        }
        Reply reply = callTopLevel(session, spec, argv);
        return reply;
    }

    /**
     * How long the command that the last {@link #process} ran took, in microseconds, as Redis's
     * {@code call()} measures it for the slow log and the latency monitor: the handler's run, not
     * the propagation and blocked clients served after it; 0 when {@code process} ran no command
     * (it queued it in a transaction or refused it). The server reads it rather than timing
     * {@code process} again: the clock reads are a measurable share of a pipelined command's cost.
     */
    public long processedMicros() {
        return processedMicros;
    }

    /** A blocked command that a write served, with how long its run took, in microseconds. */
    public record Served(CommandSpec spec, byte[][] argv, long micros) {}

    /**
     * Inside {@link Session#deliver} of a blocked command that a write served: that command (Redis
     * logs it in the slow log then); null for any other late reply (a timeout, which Redis 7.0 does
     * not log).
     */
    public Served served() {
        return served;
    }

    private static boolean isTransactionControl(CommandSpec spec) {
        String n = spec.parent() == null ? spec.shortName() : spec.parent().shortName();
        return n.equals("exec") || n.equals("discard") || n.equals("multi") || n.equals("watch")
                || n.equals("quit") || n.equals("reset");
    }

    /** Runs a command as its own execution unit, then propagates and serves unblocked clients. */
    public Reply callTopLevel(Session session, CommandSpec spec, byte[][] argv) {
        Reply reply;
        commandTimeMillis = clock.currentTimeMillis();
        reply = call(session, spec, argv);
        processedMicros = lastCallMicros; // before blocked clients served below call() again
        afterExecutionUnit();
        if (!readyKeys.isEmpty()) {
            serveBlockedClients();
        }
        return reply;
    }

    /**
     * Runs one command replayed from a persistence log while loading, as Redis's AOF loader runs a
     * command's procedure directly rather than through {@code call()}: the handler and the end of
     * its execution unit (memory accounts, blocked clients), without {@link #call}'s statistics
     * (Redis counts no calls, errors or time for loaded commands) and without propagation (nothing
     * is propagated while loading: the writes already are in the log being read).
     */
    public Reply callLoading(Session session, CommandSpec spec, byte[][] argv) {
        Ctx ctx = new Ctx(this, session, spec, argv);
        Reply reply;
        callDepth++;
        try {
            reply = spec.handler().run(ctx);
        } catch (CommandError e) {
            reply = new Reply.Error(e.getMessage());
        } finally {
            callDepth--;
        }
        pendingWrites.clear();
        inExec = false;
        settleMemory();
        if (!readyKeys.isEmpty()) {
            serveBlockedClients();
        }
        return reply;
    }

    /**
     * Runs one command (Redis's {@code call()}): the handler, statistics, and propagation of the
     * command itself when it made the data set dirty.
     */
    public Reply call(Session session, CommandSpec spec, byte[][] argv) {
        Ctx ctx = new Ctx(this, session, spec, argv);
        long dirtyBefore = dirty;
        long start = System.nanoTime();
        callDepth++;
        Session caller = callingSession;
        callingSession = session;
        Reply reply;
        try {
            reply = spec.handler().run(ctx);
        } catch (CommandError e) {
            reply = new Reply.Error(e.getMessage());
        } finally {
            callDepth--;
            callingSession = caller;
        }
        if (clientTracking != null && session.tracking() && spec.has(CommandFlag.READONLY)
                && reply != Session.BLOCKED) {
            clientTracking.readCommand(session, spec, argv);
        }
        long micros = (System.nanoTime() - start) / 1000;
        lastCallMicros = micros;
        if (reply != Session.BLOCKED) {
            spec.calls++;
            spec.microseconds += micros;
            stats.commandsProcessed++;
            if (latencyTracking.longValue != 0) {
                spec.recordLatency(micros);
            }
        }
        if (reply instanceof Reply.Error e) {
            spec.failedCalls++;
            stats.countError(e.code());
        }
        if (dirty != dirtyBefore && !ctx.propagationPrevented()) {
            byte[][] form = ctx.propagatedForm();
            propagate(session.db(), form == null ? argv : form);
        }
        return reply;
    }

    private static Reply error(String message) {
        return new Reply.Error(message);
    }

    /**
     * A command refused before it ran (unknown, wrong arity, LOADING, OOM, MISCONF, not allowed in
     * MULTI): an error reply counted in {@code total_error_replies} and {@code errorstat_<CODE>}, as
     * Redis's {@code rejectCommand} counts it.
     */
    private Reply rejected(String message) {
        Reply.Error e = new Reply.Error(message);
        stats.countError(e.code());
        return e;
    }

    // ------------------------------------------------------------------ propagation

    /** Adds a write to the current execution unit's propagation (Redis's {@code alsoPropagate}). */
    public void propagate(int db, byte[]... argv) {
        pendingWrites.add(new PropagatedWrite(db, argv));
    }

    /** Marks that the unit is an EXEC, so its writes are wrapped in MULTI/EXEC even when only one. */
    void markExec() {
        inExec = true;
    }

    /** Ends an execution unit: settles memory accounts and emits its writes. */
    public void afterExecutionUnit() {
        settleMemory();
        if (pendingWrites.isEmpty()) {
            inExec = false;
            return;
        }
        boolean wrap = pendingWrites.size() > 1 || inExec;
        inExec = false;
        if (!wrap) {
            PropagatedWrite only = pendingWrites.get(0);
            pendingWrites.clear();
            emit(only);
            return;
        }
        List<PropagatedWrite> writes = new ArrayList<>(pendingWrites);
        pendingWrites.clear();
        emit(new PropagatedWrite(writes.get(0).db(), new byte[][] {MULTI}));
        for (PropagatedWrite w : writes) {
            emit(w);
        }
        emit(new PropagatedWrite(writes.get(writes.size() - 1).db(), new byte[][] {EXEC}));
    }

    private void emit(PropagatedWrite write) {
        for (Consumer<PropagatedWrite> listener : writeListeners) {
            listener.accept(write);
        }
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Takes a consistent point-in-time view without stopping writers (see {@link ForklessSnapshot});
     * the caller holds the engine lock, and {@code lock} is that lock, which the view takes for each
     * slice it walks.
     *
     * @throws IllegalStateException when a view is already open
     */
    public dev.cellar.spi.persistence.PersistenceContext.SnapshotHandle openSnapshot(java.util.concurrent.locks.Lock lock) {
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot is already in progress");
        }
        long start = System.nanoTime();
        snapshot = new ForklessSnapshot(this, lock);
        // Redis's fork statistics: the pause a background save or rewrite costs the command thread
        stats.totalForks++;
        stats.latestForkMicros = (System.nanoTime() - start) / 1000;
        return snapshot;
    }

    /**
     * The data set as it is, for a save that holds the engine lock until it closes the view
     * (SAVE); may be taken while a point-in-time view is open. See {@link LiveView}.
     */
    public dev.cellar.spi.persistence.PersistenceContext.SnapshotHandle openLiveView() {
        return new LiveView(this);
    }

    /** Whether a point-in-time view is open. */
    public boolean snapshotInProgress() {
        return snapshot != null;
    }

    /**
     * The open view's progress, {@code {keys processed, keys in the view}}, or zeros when none is
     * open (Redis's current_save_keys_processed and _total for its active child).
     */
    public long[] snapshotProgress() {
        return snapshot == null ? new long[2] : new long[] {snapshot.keysProcessed(), snapshot.keysTotal()};
    }

    /** Bytes copied by the open view so far (the equivalent of Redis's copy-on-write size), or 0. */
    public long snapshotCopiedBytes() {
        return snapshot == null ? 0 : snapshot.copiedBytes();
    }

    void snapshotClosed(ForklessSnapshot s) {
        if (snapshot == s) {
            snapshot = null;
        }
    }

    // ------------------------------------------------------------------ memory accounting

    /**
     * Records a key's current size before it changes, once per execution unit, for the settlement
     * after the unit (which measures it again); lets an open snapshot keep its old state first.
     */
    void track(Db db, byte[] key) {
        track(db, key, UNKNOWN_SLOT);
    }

    /** A slot argument of {@link #track} meaning "look the key up". */
    static final int UNKNOWN_SLOT = Integer.MIN_VALUE;

    /**
     * {@link #track} for a key whose place the caller has just probed: {@code found} is its slot in
     * the database's dictionary, negative when absent (as {@link Dict#findOrFree} answers), so
     * recording its size needs no second probe.
     */
    void track(Db db, byte[] key, int found) {
        beforeChange(db, key);
        if (loading) {
            // Loading keeps no account per change (two lookups of the key per command, and
            // nothing evicts while loading); setLoading(false) counts every database once.
            return;
        }
        if (trackedPosition(db, key) >= 0) {
            return;
        }
        long bytes = found == UNKNOWN_SLOT ? db.bytesOf(key) : db.bytesAt(found, key);
        int n = trackedCount;
        if (n == trackedKeys.length) {
            trackedDbs = Arrays.copyOf(trackedDbs, n * 2);
            trackedKeys = Arrays.copyOf(trackedKeys, n * 2);
            trackedBytes = Arrays.copyOf(trackedBytes, n * 2);
        }
        trackedDbs[n] = db;
        trackedKeys[n] = key;
        trackedBytes[n] = bytes;
        if (!trackedIndex.isEmpty()) {
            trackedIndex.put(new DbKey(db.index(), new ByteKey(key)), n);
        }
        trackedCount = n + 1;
    }

    /** Lets an open point-in-time view keep a key's state before it changes. */
    void beforeChange(Db db, byte[] key) {
        if (snapshot != null) {
            snapshot.beforeChange(db.dict, key);
        }
    }

    /**
     * For a write that keeps the memory account itself (an immutable string, whose final size is
     * known when it is stored): if the unit tracked the key, stops tracking it and returns the size
     * recorded then, so the write accounts from there; else -1.
     */
    long untrack(Db db, byte[] key) {
        int n = trackedCount;
        if (n == 0) {
            return -1;
        }
        int at = trackedPosition(db, key);
        if (at < 0) {
            return -1;
        }
        long bytes = trackedBytes[at];
        int last = n - 1;
        if (!trackedIndex.isEmpty()) {
            trackedIndex.remove(new DbKey(db.index(), new ByteKey(key)));
            if (at != last) {
                trackedIndex.put(new DbKey(trackedDbs[last].index(), new ByteKey(trackedKeys[last])), at);
            }
        }
        trackedDbs[at] = trackedDbs[last];
        trackedKeys[at] = trackedKeys[last];
        trackedBytes[at] = trackedBytes[last];
        trackedDbs[last] = null;
        trackedKeys[last] = null;
        trackedCount = last;
        return bytes;
    }

    /** Where a key sits among the tracked ones, or -1. */
    private int trackedPosition(Db db, byte[] key) {
        int n = trackedCount;
        if (n <= TRACK_SCAN_LIMIT && trackedIndex.isEmpty()) {
            for (int i = n - 1; i >= 0; i--) {
                if (trackedDbs[i] == db && Arrays.equals(trackedKeys[i], key)) {
                    return i;
                }
            }
            return -1;
        }
        // A unit that changes many keys (MSET, SUNIONSTORE of many sources, loading): index them.
        if (trackedIndex.isEmpty()) {
            for (int i = 0; i < n; i++) {
                trackedIndex.put(new DbKey(trackedDbs[i].index(), new ByteKey(trackedKeys[i])), i);
            }
        }
        Integer at = trackedIndex.get(new DbKey(db.index(), new ByteKey(key)));
        return at == null ? -1 : at;
    }

    /** Applies the size changes of the keys touched since the last settlement. */
    public void settleMemory() {
        int n = trackedCount;
        for (int i = 0; i < n; i++) {
            Db db = trackedDbs[i];
            db.usedBytes += db.bytesOf(trackedKeys[i]) - trackedBytes[i];
            trackedDbs[i] = null;
            trackedKeys[i] = null;
        }
        trackedCount = 0;
        if (!trackedIndex.isEmpty()) {
            trackedIndex.clear();
        }
    }

    /** Estimated bytes of the data set: every database, tables included. */
    public long usedMemory() {
        long total = 0;
        for (Db db : dbs) {
            total += db.memoryUsage();
        }
        return total;
    }

    /**
     * INFO's {@code used_memory_peak}: the highest {@link #usedMemory()} seen by this call, which the
     * background cycle makes hz times a second and INFO makes too (Redis samples it in its cron).
     */
    public long updatePeakMemory() {
        long used = usedMemory();
        if (used > peakMemory) {
            peakMemory = used;
        }
        return peakMemory;
    }

    /** INFO's {@code used_memory_startup}: {@link #usedMemory()} when the engine was made, before loading. */
    public long startupMemory() {
        return startupMemory;
    }

    /** The bytes of every database's key and expiry tables (INFO's hash-table overhead). */
    public long tableBytes() {
        long total = 0;
        for (Db db : dbs) {
            total += db.tableBytes();
        }
        return total;
    }

    // ------------------------------------------------------------------ keyspace events

    /** Sets the client-side caching machinery (the server's), or null for none. */
    public void setClientTracking(ClientTracking tracking) {
        this.clientTracking = tracking;
    }

    /** FLUSHDB/FLUSHALL ran: tracking clients are told to drop everything (Redis's signalFlushedDb). */
    public void signalFlushed() {
        if (clientTracking != null) {
            clientTracking.flushed(callingSession);
        }
    }

    /** Signals a change to a key: invalidates WATCH (Redis's {@code signalModifiedKey}) and cached copies. */
    public void signalModifiedKey(Db db, byte[] key) {
        if (clientTracking != null) {
            clientTracking.keyModified(key, callingSession);
        }
        if (!watchers.isEmpty()) {
            List<Session> sessions = watchers.get(new DbKey(db.index(), new ByteKey(key)));
            if (sessions != null) {
                for (Session s : sessions) {
                    s.markDirtyCas();
                }
            }
        }
    }

    /** Invalidates WATCH on every watched key of a database that exists there (FLUSHDB, SWAPDB). */
    public void touchAllWatchedKeysInDb(Db db, Db other) {
        if (watchers.isEmpty()) {
            return;
        }
        for (Map.Entry<DbKey, List<Session>> e : watchers.entrySet()) {
            if (e.getKey().db() != db.index()) {
                continue;
            }
            byte[] key = e.getKey().key().bytes();
            if (db.dict.find(key) >= 0 || (other != null && other.dict.find(key) >= 0)) {
                for (Session s : e.getValue()) {
                    s.markDirtyCas();
                }
            }
        }
    }

    /**
     * Exchanges the contents of two databases (SWAPDB), as Redis's {@code dbSwapDatabases}: settles
     * pending memory records first, invalidates WATCH on keys that exist in either database, and
     * marks as ready the keys clients are blocked on that now hold a list or sorted set.
     */
    public void swapDatabases(int id1, int id2) {
        if (id1 == id2) {
            return;
        }
        Db a = dbs[id1];
        Db b = dbs[id2];
        settleMemory();
        touchAllWatchedKeysInDb(a, b);
        touchAllWatchedKeysInDb(b, a);
        a.swapWith(b);
        for (DbKey k : blockedOnKey.keySet()) {
            if (k.db() == id1 || k.db() == id2) {
                Object v = dbs[k.db()].dict.get(k.key().bytes());
                if (v instanceof dev.cellar.core.values.RValue r
                        && (r.type() == dev.cellar.core.values.ValueType.LIST
                                || r.type() == dev.cellar.core.values.ValueType.ZSET)) {
                    readyKeys.add(k);
                }
            }
        }
    }

    /** Publishes a keyspace notification (the server filters by {@code notify-keyspace-events}). */
    public void notify(char type, String event, Db db, byte[] key) {
        keyspaceListener.event(type, event, db.index(), key);
    }

    /** Deletes an expired key as Redis's {@code deleteExpiredKeyAndPropagate}. */
    void expireKey(Db db, byte[] key) {
        db.deleteNow(key);
        stats.expiredKeys++;
        notify(KeyspaceListener.EXPIRED, "expired", db, key);
        signalModifiedKey(db, key);
        propagate(db.index(), DEL, key);
    }

    /** Deletes a key chosen by the eviction policy, propagating DEL and notifying {@code evicted}. */
    void evictKey(Db db, byte[] key) {
        db.deleteNow(key);
        stats.evictedKeys++;
        signalModifiedKey(db, key);
        notify(KeyspaceListener.EVICTED, "evicted", db, key);
        propagate(db.index(), DEL, key);
    }

    // ------------------------------------------------------------------ blocking

    /** Marks a key that gained elements, so blocked clients are served after the command. */
    void signalKeyAsReady(Db db, byte[] key) {
        if (blockedOnKey.isEmpty()) {
            return;
        }
        DbKey k = new DbKey(db.index(), new ByteKey(key));
        if (blockedOnKey.containsKey(k)) {
            readyKeys.add(k);
        }
    }

    /** Registers a session as blocked on keys. */
    void block(Session session, Session.BlockState state) {
        session.setBlocked(state);
        blockedSessions.add(session);
        Set<DbKey> seen = new java.util.HashSet<>();
        for (byte[] key : state.keys()) {
            DbKey k = new DbKey(state.db(), new ByteKey(key));
            // a key named twice (BLPOP k k 0) queues the session once, as Redis's blockForKeys does
            if (seen.add(k)) {
                blockedOnKey.computeIfAbsent(k, x -> new ArrayDeque<>()).addLast(session);
            }
        }
    }

    /** Removes a session from the wait queues (served, timed out or disconnected). */
    public void unblock(Session session) {
        Session.BlockState state = session.blockState();
        if (state == null) {
            return;
        }
        for (byte[] key : state.keys()) {
            DbKey k = new DbKey(state.db(), new ByteKey(key));
            ArrayDeque<Session> queue = blockedOnKey.get(k);
            if (queue != null) {
                queue.remove(session);
                if (queue.isEmpty()) {
                    blockedOnKey.remove(k);
                }
            }
        }
        blockedSessions.remove(session);
        session.setBlocked(null);
    }

    /** Serves clients blocked on keys that became ready, in the order they blocked (Redis's {@code handleClientsBlockedOnKeys}). */
    void serveBlockedClients() {
        while (!readyKeys.isEmpty()) {
            List<DbKey> ready = new ArrayList<>(readyKeys);
            readyKeys.clear();
            for (DbKey k : ready) {
                ArrayDeque<Session> queue = blockedOnKey.get(k);
                if (queue == null) {
                    continue;
                }
                for (Session s : new ArrayList<>(queue)) {
                    Session.BlockState state = s.blockState();
                    if (state == null) {
                        continue;
                    }
                    Object value = dbs[k.db()].lookupReadNoTouch(k.key().bytes());
                    if (value == null) {
                        break;
                    }
                    // As Redis 7.0 serves a ready key only to clients blocked for its type
                    // (BLOCKED_LIST vs BLOCKED_ZSET): a list waiter keeps waiting when the key
                    // is created as a sorted set, and the other way round.
                    if (ValueType.of(value) != state.awaits()) {
                        continue;
                    }
                    int savedDb = s.db();
                    s.selectDb(state.db());
                    unblock(s);
                    commandTimeMillis = clock.currentTimeMillis();
                    reblockDeadline = state.deadlineMillis();
                    servingReadyKey = k.key().bytes();
                    Reply reply;
                    try {
                        reply = call(s, state.spec(), state.argv());
                    } finally {
                        reblockDeadline = -1;
                        servingReadyKey = null;
                    }
                    afterExecutionUnit();
                    s.selectDb(savedDb);
                    if (reply == Session.BLOCKED) {
                        continue;
                    }
                    served = new Served(state.spec(), state.argv(), lastCallMicros);
                    try {
                        s.deliver(reply);
                    } finally {
                        served = null;
                    }
                }
            }
        }
    }

    /** Answers blocked clients whose timeout has passed; called by the engine's timer. */
    public void processBlockedTimeouts() {
        if (blockedSessions.isEmpty()) {
            return;
        }
        long now = clock.currentTimeMillis();
        for (Session s : new ArrayList<>(blockedSessions)) {
            Session.BlockState state = s.blockState();
            if (state != null && state.deadlineMillis() > 0 && state.deadlineMillis() <= now) {
                unblock(s);
                s.deliver(state.timeoutReply());
            }
        }
    }

    /** The number of blocked sessions (INFO {@code blocked_clients}). */
    public int blockedClients() {
        return blockedSessions.size();
    }

    /** Runs a command for a blocked session again, for {@code CLIENT UNBLOCK}-style wakeups. */
    public void unblockWithReply(Session s, Reply reply) {
        unblock(s);
        s.deliver(reply);
    }

    // ------------------------------------------------------------------ watch

    void watch(Session session, Db db, byte[] key) {
        DbKey k = new DbKey(db.index(), new ByteKey(key));
        List<Session> list = watchers.computeIfAbsent(k, x -> new ArrayList<>());
        if (!list.contains(session)) {
            list.add(session);
            session.addWatched(k, db.isExpired(key));
        }
    }

    void unwatchAll(Session session) {
        for (DbKey k : session.watchedKeys()) {
            List<Session> list = watchers.get(k);
            if (list != null) {
                list.remove(session);
                if (list.isEmpty()) {
                    watchers.remove(k);
                }
            }
        }
        session.clearWatched();
    }

    /** Whether a watched key, not expired when watched, has logically expired since (Redis 7.0's isWatchedKeyExpired). */
    boolean watchedKeyExpired(Session session) {
        for (Map.Entry<DbKey, Boolean> e : session.watchedExpiredAtWatch().entrySet()) {
            if (!e.getValue() && dbs[e.getKey().db()].isExpired(e.getKey().key().bytes())) {
                return true;
            }
        }
        return false;
    }

    /** Releases everything a session holds (WATCH, blocking) when it disconnects. */
    public void sessionClosed(Session session) {
        unblock(session);
        unwatchAll(session);
    }
}
