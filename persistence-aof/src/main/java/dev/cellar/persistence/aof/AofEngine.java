package dev.cellar.persistence.aof;

import dev.cellar.api.CellarClock;
import dev.cellar.persistence.aof.AofIo.LogChannel;
import dev.cellar.persistence.aof.AofSettings.Fsync;
import dev.cellar.persistence.aof.Manifest.FileInfo;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PropagatedWrite;
import dev.cellar.spi.persistence.SnapshotView;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AOF persistence engine: Redis 7's multi-part append-only file.
 *
 * <p>Write path: {@link #write} encodes each propagated command into an in-memory buffer
 * ({@code aof_buf}), with a {@code SELECT} before the first command of another database and, with
 * {@code aof-timestamp-enabled}, a {@code #TS:<seconds>} line when the second changes;
 * {@link #flushBatch} writes the buffer to the current incremental file once per batch. With
 * {@code appendfsync always} it also fsyncs before returning, so the batch is acknowledged only
 * once durable (group commit); with {@code everysec} a background thread fsyncs once a second, and
 * while one of its fsyncs runs the buffer is held back for up to two seconds before being written
 * anyway ({@code aof_delayed_fsync}); with {@code no} the kernel decides.
 *
 * <p>Write errors: a failed write is cut back to the last good size (never left half-written in
 * the file) and the buffer kept; the engine then refuses writes ({@link #refuseWritesReason()},
 * MISCONF) while the background thread retries, and the retry that succeeds writes the kept buffer,
 * so the log ends up holding what the data set holds. With {@code always} {@link #flushBatch} also
 * throws, so the batch's writes are reported failed to their clients, and a failed fsync counts
 * as a failed write: the unsynced bytes are cut back and written again by the retry.
 *
 * <p>Rewrite (no fork, as Redis 7 arranges it): on the engine's thread, take the point-in-time
 * view and open a new incremental file, listed in the manifest at once; later writes go there.
 * A background thread writes the view as the new base; then the manifest switches atomically to
 * the new base plus the incremental files opened since the rewrite began, and the old files become
 * history, deleted unless {@code aof-disable-auto-gc}. Writers wait only for the file switch.
 *
 * <p>Starting on a live data set ({@link #begin()}, {@code CONFIG SET appendonly yes}), as Redis 7
 * does: there is no valid log to chain the new incremental file to, so writes from the instant of
 * the view go to {@code temp-<appendfilename>.incr}, named in no manifest. When the base is
 * written, that file is renamed to the next incremental name and the manifest switches to the new
 * base and it; an earlier log in the directory becomes history. A failed base is retried from
 * {@link #cron()} with a fresh view and an emptied temporary file (writes before the new view are
 * in its base), backing off as automatic rewrites do.
 *
 * <p>Concurrency: {@code lock} guards the buffer and the current incremental file (engine thread,
 * background retries); {@code manifestLock} guards the manifest (rewrite start and end). The
 * background thread ({@code bio}) runs fsyncs, closes retired files and retries failed writes.
 */
final class AofEngine implements PersistenceEngine {
    private static final Logger LOG = LoggerFactory.getLogger(AofEngine.class);
    private static final long SECOND = 1_000_000_000L;
    /** How long a write waits for a running fsync before it goes ahead anyway. */
    private static final long MAX_FSYNC_POSTPONE = 2 * SECOND;
    /** Bytes between fsyncs while writing a base with {@code aof-rewrite-incremental-fsync}. */
    static final long AUTOSYNC_BYTES = 4L * 1024 * 1024;
    /** Consecutive rewrite failures after which automatic rewrites back off. */
    private static final int REWRITE_LIMIT_THRESHOLD = 3;
    private static final int REWRITE_LIMIT_MAX_MINUTES = 60;
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

    private final PersistenceContext context;
    /** Read again when a setting changes at run time ({@link #settingChanged}). */
    private volatile AofSettings settings;
    private final AofIo io;
    /** The RDB base writer when the provider has one (hybrid), else null: bases are then RESP. */
    private final AofBaseFormat rdbWriter;
    private final RespBase respWriter = new RespBase();
    private final List<AofBaseFormat> readFormats;
    private final CellarClock clock;
    private final Path dir;
    private final Path aofDir;

    // ---- write path, guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    private final Resp buf = new Resp(16 * 1024);
    private volatile LogChannel incr;
    private long incrSize;
    private boolean needsTruncate;
    private int selectedDb = -1;
    private long lastTimestampSec = -1;
    private boolean inMulti;
    private long postponedSince;
    private long delayedFsyncs;
    private long otherFilesSize;
    private long baseSize;

    // ---- status, read by any thread
    private volatile String writeError;
    private volatile String fsyncError;
    private volatile long written;
    private volatile long synced;
    private volatile long lastFsyncNanos;
    private volatile long fsyncStartedNanos;

    // ---- background thread
    private final BlockingQueue<Runnable> bioQueue = new LinkedBlockingQueue<>();
    private Thread bio;
    private volatile boolean closed;

    // ---- manifest, guarded by manifestLock
    private final Object manifestLock = new Object();
    private Manifest manifest = Manifest.empty();

    // ---- rewrite
    private volatile boolean rewriteInProgress;
    private volatile boolean rewriteCancelled;
    private volatile Thread rewriteThread;
    /** Started with {@link #begin()} and the first base is not in place yet (Redis's AOF_WAIT_REWRITE). */
    private volatile boolean waitingForBase;
    private static final java.util.concurrent.atomic.AtomicLong REWRITE_IDS = new java.util.concurrent.atomic.AtomicLong();
    private volatile long rewriteStartNanos;
    private volatile long lastRewriteTimeSec = -1;
    private volatile boolean lastRewriteOk = true;
    private volatile long rewrites;
    private volatile int consecutiveFailures;
    private volatile long rewriteBaseSize;
    /** Bytes the last successful rewrite's view copied ({@code aof_last_cow_size}). */
    private volatile long lastCowSize;
    private int nextDelayMinutes;
    private long nextRewriteTimeSec;

    AofEngine(PersistenceContext context, AofIo io, AofBaseFormat baseWriter, List<AofBaseFormat> readFormats) {
        this.context = context;
        this.settings = AofSettings.from(context.config());
        this.io = io;
        this.rdbWriter = baseWriter instanceof RespBase ? null : baseWriter;
        List<AofBaseFormat> formats = new ArrayList<>(readFormats);
        if (baseWriter != null && !formats.contains(baseWriter)) {
            formats.add(0, baseWriter);
        }
        this.readFormats = formats;
        this.clock = context.clock();
        this.dir = context.dir();
        this.aofDir = dir.resolve(settings.dirName());
    }

    AofSettings settings() {
        return settings;
    }

    /**
     * The format of the next base: RDB with {@code aof-use-rdb-preamble yes} when this engine has an
     * RDB writer, RESP commands otherwise. Each base keeps the format it started with.
     */
    private AofBaseFormat baseFormat() {
        return settings.rdbPreamble() && rdbWriter != null ? rdbWriter : respWriter;
    }

    /**
     * Redis's run-time settings ({@link AofSettings#RUN_TIME}) apply from the next write, fsync,
     * rewrite check or base on; {@code aof-disable-auto-gc no} also removes the history files kept
     * meanwhile at once, as Redis does ({@code updateAofAutoGCEnabled}).
     */
    @Override
    public void settingChanged(String name, String value) {
        if (!AofSettings.RUN_TIME.contains(name)) {
            return;
        }
        AofSettings before = settings;
        settings = AofSettings.from(context.config());
        if (before.fsync() != settings.fsync()) {
            LOG.info("appendfsync is now {}", settings.fsync().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (before.disableAutoGc() && !settings.disableAutoGc() && incr != null) {
            deleteHistory();
        }
    }

    Path aofDir() {
        return aofDir;
    }

    Path manifestPath() {
        return aofDir.resolve(settings.fileName() + ".manifest");
    }

    Manifest manifest() {
        synchronized (manifestLock) {
            return manifest;
        }
    }

    // ================================================================== loading

    @Override
    public void load(LoadSink sink) throws IOException {
        Path legacy = dir.resolve(settings.fileName());
        if (!Files.exists(manifestPath()) && Files.isRegularFile(legacy)) {
            upgradeLegacy(legacy);
        }
        boolean seeded = false;
        boolean manifestPending = false;
        if (!Files.exists(manifestPath())) {
            Path dump = dumpFile();
            if (dump != null && Files.isRegularFile(dump)) {
                if (seedFromDump(dump, sink)) {
                    seeded = true;
                } else {
                    manifestPending = true;
                }
            }
        }
        if (!seeded && !manifestPending && Files.exists(manifestPath())) {
            try {
                manifest = Manifest.parse(Files.readAllBytes(manifestPath()));
            } catch (IllegalArgumentException e) {
                throw new IOException("Failed to load the AOF manifest " + manifestPath() + ": " + e.getMessage(), e);
            }
        }
        List<FileInfo> files = seeded ? List.of() : manifest.loadOrder();
        long total = 0;
        for (FileInfo f : files) {
            Path p = aofDir.resolve(f.name());
            if (!Files.exists(p) && f.type() == FileInfo.BASE && f.name().equals(settings.fileName())
                    && Files.isRegularFile(legacy)) {
                finishUpgrade(legacy);
            }
            if (!Files.isRegularFile(p)) {
                throw new IOException("The AOF file " + p + " doesn't exist (it is listed in " + manifestPath() + ")");
            }
            total += Files.size(p);
        }
        long loadedBase = loadFiles(files, total, sink);
        if (loadedBase >= 0) {
            baseSize = loadedBase;
        }
        Files.createDirectories(aofDir);
        if (manifestPending) {
            // The snapshot copied as the first base loaded: only now does the manifest name it.
            persistManifest(manifest);
            LOG.info("The snapshot {} is now the AOF base {}", dumpFile(), manifest.base().name());
        }
        boolean hadIncr = !seeded && !manifestPending && !manifest.incrs().isEmpty();
        boolean createdNow = manifest.isEmpty();
        if (createdNow) {
            createInitialFiles(null);
        } else if (manifest.incrs().isEmpty()) {
            long seq = manifest.lastIncrSeq() + 1;
            FileInfo info = new FileInfo(incrName(seq), seq, FileInfo.INCR);
            io.create(aofDir.resolve(info.name())).close();
            LOG.info("Creating AOF incr file {} on server start", info.name());
            Manifest next = manifest.withIncr(info);
            persistManifest(next);
            manifest = next;
        }
        FileInfo current = manifest.incrs().get(manifest.incrs().size() - 1);
        incr = io.openAppend(aofDir.resolve(current.name()));
        incrSize = incr.size();
        if (hadIncr) {
            LOG.info("Opening AOF incr file {} on server start", current.name());
        }
        otherFilesSize = 0;
        for (FileInfo f : manifest.loadOrder()) {
            if (!f.equals(current)) {
                otherFilesSize += Files.size(aofDir.resolve(f.name()));
            }
        }
        if (createdNow) {
            // Redis counts nothing of the files it creates on a first start (aof_current_size and
            // aof_base_size 0, and so the first automatic rewrite's base) until a rewrite or a
            // restart measures them; Cellar did count its empty base.
            otherFilesSize = 0;
            baseSize = 0;
        }
        rewriteBaseSize = currentSize();
        deleteHistory();
        startBio();
    }

    /**
     * Reads {@code files} (the manifest's load order, {@code total} bytes together) into the sink,
     * logging each as Redis does; returns the base's size as read, or -1 when there is no base.
     */
    private long loadFiles(List<FileInfo> files, long total, LoadSink sink) throws IOException {
        AofLoader loader = new AofLoader(readFormats, context.databases(), settings.fileName());
        long[] progress = {0};
        long startNanos = clock.nanoTime();
        long baseRead = -1;
        sink.progress(0, total); // INFO's loading_total_bytes from the start, as Redis's startLoading sets it
        for (int i = 0; i < files.size(); i++) {
            FileInfo f = files.get(i);
            boolean last = i == files.size() - 1;
            long fileStart = clock.nanoTime();
            long size = loader.load(aofDir.resolve(f.name()), last, settings.loadTruncated(), manifestPath().toString(),
                    sink, progress, total);
            LOG.info("DB loaded from {} file {}: {} seconds",
                    f.type() == FileInfo.BASE ? "base" : "incr", f.name(), seconds(clock.nanoTime() - fileStart));
            if (f.type() == FileInfo.BASE) {
                baseRead = size;
            }
        }
        sink.progress(total, total);
        if (!files.isEmpty()) {
            LOG.info("DB loaded from append only file: {} seconds", seconds(clock.nanoTime() - startNanos));
        }
        return baseRead;
    }

    /**
     * DEBUG LOADAOF: the buffer is written out (not fsynced: the files are read back through the
     * page cache, as Redis's {@code flushAppendOnlyFile(1)} leaves them), then the files the
     * manifest names are read as at start-up. Refused while a first base or a rewrite is being
     * written: a rewrite's switch of the manifest could remove files being read.
     */
    @Override
    public Reload reload() throws IOException {
        if (incr == null || closed) {
            throw new IllegalStateException("the AOF is not open");
        }
        if (waitingForBase) {
            throw new IllegalStateException("the AOF's first base is still being written");
        }
        if (rewriteInProgress) {
            throw new IllegalStateException("Background append only file rewriting in progress");
        }
        lock.lock();
        try {
            flushLocked(true);
            if (!buf.isEmpty()) {
                throw new IOException("Errors writing to the AOF file: " + writeError);
            }
        } finally {
            lock.unlock();
        }
        List<FileInfo> files;
        synchronized (manifestLock) {
            files = manifest.loadOrder();
        }
        long total = 0;
        for (FileInfo f : files) {
            total += Files.size(aofDir.resolve(f.name()));
        }
        long bytes = total;
        return sink -> loadFiles(files, bytes, sink);
    }

    /** A duration as Redis logs load times ({@code %.3f} seconds), without the locale's separator. */
    private static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf((nanos + 500_000) / 1_000_000, 3).toPlainString();
    }

    private void upgradeLegacy(Path legacy) throws IOException {
        Files.createDirectories(aofDir);
        Manifest m = new Manifest(new FileInfo(settings.fileName(), 1, FileInfo.BASE), List.of(), List.of());
        persistManifest(m);
        finishUpgrade(legacy);
    }

    private void finishUpgrade(Path legacy) throws IOException {
        Files.move(legacy, aofDir.resolve(settings.fileName()), StandardCopyOption.ATOMIC_MOVE);
        io.fsyncDirectory(aofDir);
        io.fsyncDirectory(dir);
        LOG.info("Successfully migrated an old-style AOF file ({}) into the AOF directory ({}).", settings.fileName(),
                settings.dirName());
    }

    /** The snapshot file of the directory ({@code dir}/{@code dbfilename}), or null when it has no usable name. */
    private Path dumpFile() {
        String name = context.config().get("dbfilename");
        name = name == null ? "dump.rdb" : name.trim();
        if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
            return null;
        }
        return dir.resolve(name);
    }

    /**
     * First start with {@code appendonly yes}, no AOF yet but a snapshot in the directory: its data
     * must not be lost (Redis 7.0 starts empty here and so loses it; Cellar does not). When the
     * base format itself reads the snapshot (an RDB base), the file is copied as the first base
     * (temporary file, fsync, rename) and the in-memory manifest set to that base and a new
     * incremental file; the caller loads it as any base and persists the manifest once it loaded,
     * so a snapshot that fails to load leaves no manifest behind. Otherwise (RESP bases) the
     * snapshot is loaded through an installed format that recognizes it and the first base is
     * written from what was loaded; then returns true (nothing more to load).
     *
     * @throws IOException when no installed format reads the snapshot: starting empty would lose its data
     */
    private boolean seedFromDump(Path dump, LoadSink sink) throws IOException {
        byte[] head = new byte[16];
        int n;
        try (var in = Files.newInputStream(dump)) {
            n = in.readNBytes(head, 0, head.length);
        }
        head = java.util.Arrays.copyOf(head, n);
        Files.createDirectories(aofDir);
        AofBaseFormat format = baseFormat();
        if (!(format instanceof RespBase) && format.recognizes(head)) {
            FileInfo base = new FileInfo(baseName(1, format), 1, FileInfo.BASE);
            Path tmp = aofDir.resolve("temp-" + base.name());
            Files.copy(dump, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (LogChannel ch = io.openAppend(tmp)) {
                ch.force();
            }
            Files.move(tmp, aofDir.resolve(base.name()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            FileInfo first = new FileInfo(incrName(1), 1, FileInfo.INCR);
            io.create(aofDir.resolve(first.name())).close();
            io.fsyncDirectory(aofDir);
            LOG.info("appendonly is yes but there is no AOF yet: copied the snapshot {} as the first AOF base {}",
                    dump, base.name());
            manifest = new Manifest(base, List.of(), List.of(first));
            return false;
        }
        AofBaseFormat reader = null;
        for (AofBaseFormat f : readFormats) {
            if (!(f instanceof RespBase) && f.recognizes(head)) {
                reader = f;
                break;
            }
        }
        if (reader == null) {
            throw new IOException("appendonly is yes and there is no AOF yet, but the snapshot " + dump
                    + " (dbfilename) is there and no installed AOF base format reads it (an RDB needs the"
                    + " hybrid module): refusing to start without its data. Add the module, load it with"
                    + " appendonly no and run BGREWRITEAOF, or move the file away to start empty.");
        }
        LOG.info("appendonly is yes but there is no AOF yet: loading the snapshot {} ({} format)", dump, reader.name());
        long size = reader.load(dump, sink, context.databases());
        sink.progress(size, size);
        try (PersistenceContext.SnapshotHandle snap = context.snapshot()) {
            createInitialFiles(snap.view());
        }
        LOG.info("The snapshot {} is now the AOF base {}", dump, manifest.base().name());
        return true;
    }

    /**
     * First start without an AOF: a base and an incremental file. The base holds {@code view}, or
     * the empty data set when it is null.
     */
    private void createInitialFiles(SnapshotView view) throws IOException {
        AofBaseFormat format = baseFormat();
        FileInfo base = new FileInfo(baseName(1, format), 1, FileInfo.BASE);
        Path tmp = aofDir.resolve("temp-" + base.name());
        try (LogChannel ch = io.create(tmp)) {
            // The empty data set is no command in RESP, and a whole file in another format (an RDB
            // preamble: header, AUX fields, EOF and checksum), as Redis writes it.
            writeBase(format, view != null ? view : emptyView(context.databases()), new ChannelOutput(ch));
            ch.force();
        }
        Files.move(tmp, aofDir.resolve(base.name()), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        baseSize = Files.size(aofDir.resolve(base.name()));
        LOG.info("Creating AOF base file {} on server start", base.name());
        FileInfo first = new FileInfo(incrName(1), 1, FileInfo.INCR);
        io.create(aofDir.resolve(first.name())).close();
        LOG.info("Creating AOF incr file {} on server start", first.name());
        Manifest m = new Manifest(base, List.of(), List.of(first));
        persistManifest(m);
        manifest = m;
    }

    /**
     * Writes a base in {@code format} and flushes it: a RESP base starts with a timestamp annotation
     * when {@code aof-timestamp-enabled}, as Redis's rewrite writes one.
     */
    private void writeBase(AofBaseFormat format, SnapshotView view, ChannelOutput out) throws IOException {
        if (settings.timestamps() && format instanceof RespBase) {
            out.write(new Resp(32).annotation("TS:" + clock.currentTimeMillis() / 1000).toByteArray());
        }
        format.write(view, out);
        out.flush();
    }

    /** The view of an empty data set. */
    private static SnapshotView emptyView(int databases) {
        return new SnapshotView() {
            @Override
            public int databases() {
                return databases;
            }

            @Override
            public long size(int db) {
                return 0;
            }

            @Override
            public long expiresSize(int db) {
                return 0;
            }

            @Override
            public void forEach(int db, EntryVisitor visitor) {}
        };
    }

    private String baseName(long seq, AofBaseFormat format) {
        return settings.fileName() + "." + seq + ".base." + format.extension();
    }

    private String incrName(long seq) {
        return settings.fileName() + "." + seq + ".incr.aof";
    }

    /** Writes the manifest under a temporary name, fsyncs it, renames it over the old one, fsyncs the directory. */
    private void persistManifest(Manifest m) throws IOException {
        Path tmp = aofDir.resolve("temp-" + settings.fileName() + ".manifest");
        try (LogChannel ch = io.create(tmp)) {
            ch.writeFully(ByteBuffer.wrap(m.format().getBytes(StandardCharsets.UTF_8)));
            ch.force();
        }
        Files.move(tmp, manifestPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        io.fsyncDirectory(aofDir);
    }

    /** Removes history files from the manifest, then from the disk (unless {@code aof-disable-auto-gc}). */
    private void deleteHistory() {
        if (settings.disableAutoGc()) {
            return;
        }
        List<FileInfo> history;
        synchronized (manifestLock) {
            history = manifest.history();
            if (history.isEmpty()) {
                return;
            }
            Manifest next = manifest.withoutHistory();
            try {
                persistManifest(next);
            } catch (IOException e) {
                LOG.warn("Could not remove history files from the AOF manifest: {}", e.toString());
                return;
            }
            manifest = next;
        }
        for (FileInfo f : history) {
            LOG.info("Removing the history file {}", f.name());
            try {
                Files.deleteIfExists(aofDir.resolve(f.name()));
            } catch (IOException e) {
                LOG.warn("Could not remove the history file {}: {}", f.name(), e.toString());
            }
        }
    }

    // ================================================================== write path

    @Override
    public void write(PropagatedWrite write) {
        if (incr == null) {
            return;
        }
        byte[][] argv = write.argv();
        lock.lock();
        try {
            if (settings.timestamps() && !inMulti) {
                long sec = clock.currentTimeMillis() / 1000;
                if (sec > lastTimestampSec) {
                    buf.annotation("TS:" + sec);
                    lastTimestampSec = sec;
                }
            }
            boolean exec = AofReader.is(argv, "EXEC");
            if (!exec && write.db() != selectedDb) {
                buf.command(SELECT, Resp.bytes(write.db()));
                selectedDb = write.db();
            }
            buf.command(argv);
            if (AofReader.is(argv, "MULTI")) {
                inMulti = true;
            } else if (exec) {
                inMulti = false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flushBatch() throws IOException {
        if (incr == null) {
            return;
        }
        lock.lock();
        try {
            flushLocked(false);
        } finally {
            lock.unlock();
        }
        maybeRewrite();
    }

    /**
     * Writes the buffer to the current incremental file ({@code flushAppendOnlyFile}). Throws only
     * with {@code appendfsync always}; otherwise a failure sets the MISCONF state and keeps the buffer.
     */
    private void flushLocked(boolean force) throws IOException {
        boolean always = settings.fsync() == Fsync.ALWAYS;
        boolean syncNow = always && !fsyncHeldBack();
        if (buf.isEmpty()) {
            return;
        }
        if (settings.fsync() == Fsync.EVERYSEC && !force && fsyncStartedNanos != 0) {
            long now = clock.nanoTime();
            if (postponedSince == 0) {
                postponedSince = now;
                return;
            }
            if (now - postponedSince < MAX_FSYNC_POSTPONE) {
                return;
            }
            delayedFsyncs++;
            LOG.info("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without"
                    + " waiting for fsync to complete, this may slow down the store.");
        }
        postponedSince = 0;
        LogChannel ch = incr;
        int n = buf.size();
        boolean writtenOut = false;
        try {
            if (needsTruncate) {
                ch.truncate(incrSize);
                needsTruncate = false;
            }
            ch.writeFully(buf.view());
            writtenOut = true;
            if (syncNow) {
                // Inside the try: with always, bytes whose fsync failed are cut back and kept in the
                // buffer like a failed write, so the retry writes them again. A second fsync after a
                // failed one may report success for pages the kernel already dropped.
                ch.force();
            }
        } catch (IOException e) {
            try {
                ch.truncate(incrSize);
            } catch (IOException t) {
                needsTruncate = true;
                LOG.warn("Could not remove the partial AOF write from the file (ftruncate: {}); retrying later",
                        t.getMessage());
            }
            writeFailed(writtenOut ? "fsync" : "write", e);
            if (always) {
                throw new IOException("Errors writing to the AOF file: " + reason(e), e);
            }
            return;
        }
        incrSize += n;
        written += n;
        buf.clear();
        if (syncNow) {
            synced = written;
            lastFsyncNanos = clock.nanoTime();
            if (fsyncError != null) { // an everysec fsync failed before appendfsync became always
                LOG.warn("AOF fsync error looks solved, writes are accepted again.");
                fsyncError = null;
            }
        }
        if (writeError != null) {
            LOG.warn("AOF write error looks solved, writes are accepted again.");
            writeError = null;
        }
    }

    private void writeFailed(String what, IOException e) {
        if (writeError == null) {
            LOG.warn("Error {} the AOF file {}: {}", what.equals("write") ? "writing to" : "fsyncing", incrFileName(),
                    reason(e));
        }
        writeError = reason(e);
    }

    private String incrFileName() {
        synchronized (manifestLock) {
            return manifest.incrs().isEmpty() ? "?" : manifest.incrs().get(manifest.incrs().size() - 1).name();
        }
    }

    private static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Why writes must be refused right now, as the error clients get ({@code MISCONF ...}), or null.
     * The engine's write gate calls this before every write command.
     */
    public String refuseWritesReason() {
        String e = writeError != null ? writeError : fsyncError;
        return e == null ? null : "MISCONF Errors writing to the AOF file: " + e;
    }

    long currentSize() {
        return otherFilesSize + incrSize;
    }

    // ================================================================== background thread

    private void startBio() {
        bio = new Thread(this::bioLoop, "cellar-aof-bio");
        bio.setDaemon(true);
        bio.start();
    }

    private void bioLoop() {
        while (true) {
            Runnable task;
            try {
                task = bioQueue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (task != null) {
                runQuietly(task);
                continue;
            }
            if (closed) {
                break;
            }
            runQuietly(this::tick);
        }
        Runnable task;
        while ((task = bioQueue.poll()) != null) {
            runQuietly(task);
        }
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("AOF background task failed", e);
        }
    }

    /**
     * {@code no-appendfsync-on-rewrite yes} while a BGSAVE or a rewrite writes (Redis: while a child
     * is active): no fsync at all, under any policy, so the log does not compete with the save for
     * the disk. Writes are still written, and acknowledged unsynced even with {@code always}: the
     * durability Redis trades away with this setting.
     */
    private boolean fsyncHeldBack() {
        return settings.noFsyncOnRewrite() && (rewriteInProgress || context.snapshotInProgress());
    }

    /** Once per tick: the everysec fsync, and retries of held-back or failed writes. */
    private void tick() {
        // A failed fsync is retried under any policy: appendfsync may have changed since it failed,
        // and its MISCONF state must end once the disk is back.
        if ((settings.fsync() == Fsync.EVERYSEC || fsyncError != null) && !fsyncHeldBack()) {
            long now = clock.nanoTime();
            if ((written != synced || fsyncError != null) && now - lastFsyncNanos >= SECOND) {
                backgroundFsync();
            }
        }
        if (writeError != null || postponedSince != 0) {
            lock.lock();
            try {
                flushLocked(false);
            } catch (IOException e) {
                // state already recorded; retried next tick
            } finally {
                lock.unlock();
            }
        }
    }

    private void backgroundFsync() {
        LogChannel ch = incr;
        long target = written;
        fsyncStartedNanos = clock.nanoTime();
        try {
            ch.force();
            synced = target;
            if (fsyncError != null) {
                LOG.warn("AOF fsync error looks solved, writes are accepted again.");
                fsyncError = null;
            }
        } catch (IOException e) {
            if (fsyncError == null) {
                LOG.warn("Error fsyncing the AOF file: {}", reason(e));
            }
            fsyncError = reason(e);
        } finally {
            lastFsyncNanos = clock.nanoTime();
            fsyncStartedNanos = 0;
        }
    }

    // ================================================================== rewrite

    /** Completes when the running (or last) background rewrite ends. */
    private volatile CompletableFuture<Void> rewriteDone = CompletableFuture.completedFuture(null);

    /** The point-in-time view is held by someone else (a BGSAVE): not a failure, try again later. */
    static final class ViewBusyException extends IOException {
        ViewBusyException(String message) {
            super(message);
        }
    }

    /**
     * The SPI's BGREWRITEAOF: starts a background rewrite; the stage completes when the new base is
     * in place, or exceptionally ({@link IllegalStateException} when one is already running).
     * While the first base of {@link #begin()} is missing, a rewrite is another attempt at it.
     */
    @Override
    public CompletionStage<Void> rewrite() {
        try {
            if (incr == null && !waitingForBase && !closed) {
                return startBaseOnly();
            }
            boolean started = waitingForBase ? startBaseAttempt() : startRewrite();
            if (!started) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("Background append only file rewriting already in progress"));
            }
            return rewriteDone;
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The SPI's start on a live data set ({@code CONFIG SET appendonly yes}): reads the manifest
     * of an earlier log if the directory has one (its files become history), then starts writing
     * the first base; the stage completes when base and manifest are in place.
     */
    @Override
    public CompletionStage<Void> begin() {
        if (incr != null || waitingForBase || closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the AOF is already open"));
        }
        try {
            openEarlierLog("move it away to start a new log");
            waitingForBase = true;
            if (!startBaseAttempt()) {
                throw new IllegalStateException("a rewrite is already running");
            }
        } catch (IOException | RuntimeException e) {
            waitingForBase = false;
            if (!(e instanceof ViewBusyException)) {
                lastRewriteOk = false;
            }
            LOG.warn("Can't turn on the AOF: {}", reason(e));
            return CompletableFuture.failedFuture(e);
        }
        if (bio == null) {
            startBio();
        }
        return rewriteDone;
    }

    /** {@link #launchRewrite}'s mark for a base written while the log is off ({@link #startBaseOnly}). */
    private static final long BASE_ONLY = -2;

    /**
     * BGREWRITEAOF while the log is off ({@code appendonly no}, an engine neither loaded nor
     * begun), as Redis 7 does it: a new base from a point-in-time view, and a manifest naming it
     * alone (the files of an earlier log become history). No incremental file is opened and
     * nothing is written afterwards; {@code CONFIG SET appendonly yes} later starts a log anew.
     */
    private CompletionStage<Void> startBaseOnly() throws IOException {
        if (rewriteInProgress) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("Background append only file rewriting already in progress"));
        }
        openEarlierLog("move it away, or run check-aof");
        launchRewrite(takeView(), BASE_ONLY);
        return rewriteDone;
    }

    /**
     * Before writing a base on a directory this engine did not load ({@link #begin()}, or a base
     * while the log is off): creates the directory and reads the manifest an earlier log left
     * there, whose files the new base will turn into history. {@code remedy} ends the message
     * when that manifest is damaged.
     */
    private void openEarlierLog(String remedy) throws IOException {
        try {
            Files.createDirectories(aofDir);
        } catch (IOException e) {
            throw new IOException("Can't open or create append-only dir " + settings.dirName() + ": " + reason(e), e);
        }
        synchronized (manifestLock) {
            if (Files.exists(manifestPath())) {
                try {
                    manifest = Manifest.parse(Files.readAllBytes(manifestPath()));
                } catch (IllegalArgumentException e) {
                    throw new IOException("the AOF manifest " + manifestPath() + " of an earlier log is damaged: "
                            + e.getMessage() + " (" + remedy + ")", e);
                }
            }
        }
    }

    /** The temporary incremental file that collects writes while the first base is written. */
    private Path tempIncrPath() {
        return aofDir.resolve("temp-" + settings.fileName() + ".incr");
    }

    /**
     * One attempt at the first base: under the engine lock (the caller holds it), takes the view
     * and points the write path at an emptied temporary incremental file in the same instant.
     */
    private boolean startBaseAttempt() throws IOException {
        if (rewriteInProgress) {
            return false;
        }
        PersistenceContext.SnapshotHandle snapshot = takeView();
        lock.lock();
        try {
            LogChannel ch;
            try {
                ch = io.create(tempIncrPath());
            } catch (IOException e) {
                snapshot.close();
                rewriteFailedToStart(e);
                throw new IOException("Can't open the temporary AOF incr file " + tempIncrPath() + ": " + reason(e), e);
            }
            // Whatever was buffered or written before this view is in the base about to be written.
            buf.clear();
            LogChannel old = incr;
            incr = ch;
            incrSize = 0;
            otherFilesSize = 0;
            needsTruncate = false;
            selectedDb = -1;
            lastTimestampSec = -1;
            inMulti = false;
            synced = written;
            postponedSince = 0;
            if (old != null) {
                bioQueue.add(() -> {
                    try {
                        old.close();
                    } catch (IOException e) {
                        LOG.warn("Error closing a previous temporary AOF incr file: {}", reason(e));
                    }
                });
            }
            LOG.info("Creating AOF incr file {} on background rewrite", tempIncrPath().getFileName());
        } finally {
            lock.unlock();
        }
        launchRewrite(snapshot, -1);
        return true;
    }

    /** Takes the point-in-time view; a view held by someone else is {@link ViewBusyException}, not a failure. */
    private PersistenceContext.SnapshotHandle takeView() throws IOException {
        try {
            return context.snapshot();
        } catch (IllegalStateException e) {
            throw new ViewBusyException("another point-in-time view (a background save?) is open: " + reason(e));
        } catch (RuntimeException e) {
            rewriteFailedToStart(e);
            throw new IOException("Can't rewrite the append only file: no point-in-time view: " + reason(e), e);
        }
    }

    /**
     * Starts a background rewrite ({@code BGREWRITEAOF}); returns false when one is already running.
     *
     * @throws IOException when it cannot start (the point-in-time view, or the new incremental file);
     *                     {@link ViewBusyException} when another view is open
     */
    public boolean startRewrite() throws IOException {
        if (incr == null || closed) {
            throw new IOException("the AOF is not open");
        }
        if (rewriteInProgress) {
            return false;
        }
        if (waitingForBase) {
            return startBaseAttempt();
        }
        PersistenceContext.SnapshotHandle snapshot = takeView();
        long firstKeptSeq;
        lock.lock();
        try {
            try {
                flushLocked(true);
            } catch (IOException e) {
                // the write error state refuses writes; the rewrite may still give a good log
            }
            synchronized (manifestLock) {
                firstKeptSeq = manifest.lastIncrSeq() + 1;
                FileInfo info = new FileInfo(incrName(firstKeptSeq), firstKeptSeq, FileInfo.INCR);
                Path path = aofDir.resolve(info.name());
                LogChannel ch;
                try {
                    ch = io.create(path);
                    Manifest next = manifest.withIncr(info);
                    try {
                        persistManifest(next);
                    } catch (IOException e) {
                        ch.close();
                        Files.deleteIfExists(path);
                        throw e;
                    }
                    manifest = next;
                } catch (IOException e) {
                    snapshot.close();
                    rewriteFailedToStart(e);
                    throw e;
                }
                LogChannel old = incr;
                incr = ch;
                otherFilesSize += incrSize;
                incrSize = 0;
                needsTruncate = false;
                selectedDb = -1;
                lastTimestampSec = -1;
                synced = written;
                bioQueue.add(() -> {
                    try {
                        old.force();
                        old.close();
                    } catch (IOException e) {
                        LOG.warn("Error closing the previous AOF incr file: {}", reason(e));
                    }
                });
                LOG.info("Creating AOF incr file {} on background rewrite", info.name());
            }
        } finally {
            lock.unlock();
        }
        launchRewrite(snapshot, firstKeptSeq);
        return true;
    }

    /**
     * Runs the base writing on its own thread; {@code firstKeptSeq} is -1 for a first base
     * ({@link #begin()}), {@link #BASE_ONLY} for a base while the log is off.
     */
    private void launchRewrite(PersistenceContext.SnapshotHandle snapshot, long firstKeptSeq) {
        rewriteInProgress = true;
        rewrites++; // aof_rewrites counts rewrites started, as Redis counts its forked children
        rewriteDone = new CompletableFuture<>();
        rewriteStartNanos = clock.nanoTime();
        AofBaseFormat format = baseFormat(); // chosen when the rewrite starts, as Redis reads the setting then
        Thread t = new Thread(() -> runRewrite(snapshot, firstKeptSeq, format), "cellar-aof-rewrite");
        t.setDaemon(true);
        rewriteThread = t;
        t.start();
        LOG.info("Background append only file rewriting started");
    }

    private void rewriteFailedToStart(Exception e) {
        LOG.warn("Can't rewrite append only file in background: {}", reason(e));
        lastRewriteOk = false;
        consecutiveFailures++;
    }

    private void runRewrite(PersistenceContext.SnapshotHandle snapshot, long firstKeptSeq, AofBaseFormat format) {
        Path tmp = aofDir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + "-"
                + REWRITE_IDS.incrementAndGet() + ".aof");
        Path newBase = null;
        try {
            try (LogChannel ch = io.create(tmp); ChannelOutput out = new ChannelOutput(ch)) {
                writeBase(format, snapshot.view(), out);
                ch.force();
            } finally {
                snapshot.close();
            }
            long size = Files.size(tmp);
            synchronized (manifestLock) {
                if (rewriteCancelled) {
                    throw new InterruptedIOException("the AOF was closed during the rewrite");
                }
                long seq = manifest.baseSeq() + 1;
                FileInfo base = new FileInfo(baseName(seq, format), seq, FileInfo.BASE);
                newBase = aofDir.resolve(base.name());
                Files.move(tmp, newBase, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                if (firstKeptSeq == BASE_ONLY) {
                    Manifest next = manifest.afterRewrite(base, Long.MAX_VALUE);
                    persistManifest(next);
                    manifest = next;
                } else if (firstKeptSeq < 0) {
                    commitFirstBase(base);
                } else {
                    Manifest next = manifest.afterRewrite(base, firstKeptSeq);
                    persistManifest(next);
                    manifest = next;
                }
                newBase = null;
            }
            lock.lock();
            try {
                baseSize = size;
                otherFilesSize = size;
                rewriteBaseSize = currentSize();
            } finally {
                lock.unlock();
            }
            deleteHistory();
            lastCowSize = snapshot.copiedBytes();
            lastRewriteOk = true;
            consecutiveFailures = 0;
            LOG.info("Background AOF rewrite finished successfully");
            rewriteDone.complete(null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Background AOF rewrite failed: {}", reason(e));
            lastRewriteOk = false;
            consecutiveFailures++;
            try {
                Files.deleteIfExists(tmp);
                if (newBase != null) {
                    Files.deleteIfExists(newBase);
                }
            } catch (IOException ignored) {
                // nothing refers to these files
            }
            rewriteDone.completeExceptionally(e);
        } finally {
            lastRewriteTimeSec = (clock.nanoTime() - rewriteStartNanos) / SECOND;
            rewriteInProgress = false;
            rewriteThread = null;
        }
    }

    /**
     * The first base of {@link #begin()} is in place (renamed, not yet named): the temporary
     * incremental file becomes the next incremental file and the manifest switches to both, the
     * earlier log's files becoming history. Holds the write lock so that no write goes to the file
     * while it is renamed (the open channel stays valid). Caller holds {@code manifestLock}.
     */
    private void commitFirstBase(FileInfo base) throws IOException {
        lock.lock();
        try {
            if (incr == null) {
                throw new InterruptedIOException("the AOF was closed during its first rewrite");
            }
            try {
                flushLocked(true);
            } catch (IOException e) {
                // the write error state refuses writes and keeps the buffer; the file is still the log
            }
            long incrSeq = manifest.lastIncrSeq() + 1;
            FileInfo first = new FileInfo(incrName(incrSeq), incrSeq, FileInfo.INCR);
            Path named = aofDir.resolve(first.name());
            Files.move(tempIncrPath(), named, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Manifest next = manifest.afterRewrite(base, Long.MAX_VALUE).withIncr(first);
            try {
                persistManifest(next);
            } catch (IOException e) {
                Files.move(named, tempIncrPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                throw e;
            }
            manifest = next;
            waitingForBase = false;
            LOG.info("Successfully renamed the temporary AOF incr file {} into {}", tempIncrPath().getFileName(),
                    first.name());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Time-driven work on the command thread: while the first base of {@link #begin()} is missing
     * and no attempt runs, tries again (backing off after repeated failures, as automatic rewrites do).
     */
    @Override
    public void cron() {
        if (!waitingForBase || rewriteInProgress || closed || rewriteLimited()) {
            return;
        }
        try {
            startBaseAttempt();
        } catch (IOException e) {
            // recorded (a busy view is not a failure); tried again on a later tick
        }
    }

    /** Automatic rewrite by growth ({@code auto-aof-rewrite-percentage}, {@code auto-aof-rewrite-min-size}). */
    private void maybeRewrite() {
        if (rewriteInProgress || waitingForBase || settings.rewritePercentage() <= 0) {
            return;
        }
        long current = currentSize();
        if (current <= settings.rewriteMinSize()) {
            return;
        }
        long base = rewriteBaseSize > 0 ? rewriteBaseSize : 1;
        long growth = current * 100 / base - 100;
        if (growth >= settings.rewritePercentage() && !rewriteLimited()) {
            LOG.info("Starting automatic rewriting of AOF on {}% growth", growth);
            try {
                startRewrite();
            } catch (IOException e) {
                // recorded as a failure; backs off
            }
        }
    }

    /**
     * Whether automatic rewrites are backing off after repeated failures: after three in a row,
     * wait one minute, then two, four, ... up to an hour between attempts.
     */
    private boolean rewriteLimited() {
        if (consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
            nextDelayMinutes = 0;
            nextRewriteTimeSec = 0;
            return false;
        }
        long now = clock.currentTimeMillis() / 1000;
        if (nextRewriteTimeSec != 0) {
            if (now < nextRewriteTimeSec) {
                return true;
            }
            nextRewriteTimeSec = 0;
            return false;
        }
        nextDelayMinutes = nextDelayMinutes == 0 ? 1 : Math.min(nextDelayMinutes * 2, REWRITE_LIMIT_MAX_MINUTES);
        nextRewriteTimeSec = now + nextDelayMinutes * 60L;
        LOG.warn("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in {} minutes",
                nextDelayMinutes);
        return true;
    }

    /** Whether a rewrite is running (for tests and INFO). */
    boolean rewriteInProgress() {
        return rewriteInProgress;
    }

    /** Waits for a running rewrite to end (tests). */
    void awaitRewrite(long timeoutMillis) throws InterruptedException {
        Thread t = rewriteThread;
        if (t != null) {
            t.join(timeoutMillis);
        }
    }

    /** Buffers writes to a channel; fsyncs every {@link #AUTOSYNC_BYTES} when incremental fsync is on. */
    private final class ChannelOutput extends OutputStream {
        private final LogChannel ch;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private long sinceSync;

        ChannelOutput(LogChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                int n = Math.min(len, buffer.remaining());
                buffer.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (rewriteCancelled) {
                throw new InterruptedIOException("the rewrite was cancelled at shutdown");
            }
            buffer.flip();
            sinceSync += buffer.remaining();
            ch.writeFully(buffer);
            buffer.clear();
            if (settings.incrementalFsync() && sinceSync >= AUTOSYNC_BYTES) {
                ch.force();
                sinceSync = 0;
            }
        }
    }

    // ================================================================== info and close

    @Override
    public Map<String, String> info() {
        Map<String, String> m = new LinkedHashMap<>();
        boolean inProgress = rewriteInProgress;
        m.put("aof_enabled", "1"); // the engine exists only while appendonly is yes
        m.put("aof_rewrite_in_progress", inProgress ? "1" : "0");
        m.put("aof_rewrite_scheduled", "0");
        m.put("aof_last_rewrite_time_sec", Long.toString(lastRewriteTimeSec));
        m.put("aof_current_rewrite_time_sec",
                inProgress ? Long.toString((clock.nanoTime() - rewriteStartNanos) / SECOND) : "-1");
        m.put("aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err");
        m.put("aof_rewrites", Long.toString(rewrites));
        m.put("aof_rewrites_consecutive_failures", Integer.toString(consecutiveFailures));
        m.put("aof_last_write_status", writeError == null ? "ok" : "err");
        m.put("aof_last_cow_size", Long.toString(lastCowSize));
        lock.lock();
        try {
            m.put("aof_current_size", Long.toString(currentSize()));
            m.put("aof_base_size", Long.toString(baseSize));
            m.put("aof_pending_rewrite", "0");
            m.put("aof_buffer_length", Integer.toString(buf.size()));
            m.put("aof_pending_bio_fsync", Integer.toString(bioQueue.size() + (fsyncStartedNanos != 0 ? 1 : 0)));
            m.put("aof_delayed_fsync", Long.toString(delayedFsyncs));
        } finally {
            lock.unlock();
        }
        return m;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        // A running rewrite is abandoned, not awaited: its thread may be waiting for the engine
        // lock, which the caller may hold. Under manifestLock, so it can no longer switch the manifest.
        synchronized (manifestLock) {
            closed = true;
            rewriteCancelled = true;
        }
        if (bio != null) {
            try {
                bio.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (incr == null) {
            return;
        }
        lock.lock();
        try {
            flushLocked(true);
            if (writeError != null) {
                throw new IOException("Errors writing to the AOF file: " + writeError + " (" + buf.size()
                        + " bytes not written)");
            }
            incr.force();
        } finally {
            try {
                incr.close();
            } finally {
                incr = null;
                lock.unlock();
                if (waitingForBase) {
                    // no manifest names it: without its base it is of no use
                    waitingForBase = false;
                    Files.deleteIfExists(tempIncrPath());
                }
            }
        }
    }
}
