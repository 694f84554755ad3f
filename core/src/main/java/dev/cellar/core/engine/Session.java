package dev.cellar.core.engine;

import dev.cellar.api.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client's state in the engine: selected database, protocol version, transaction and WATCH
 * state, and whether it is blocked. The server keeps one per connection; the embedding API makes
 * short-lived ones. Like the engine, a session is used only under the engine lock.
 */
public class Session {
    /** The reply of a command that blocked: the real reply comes later through {@link #deliver}. */
    public static final Reply BLOCKED = new Reply.Simple("__blocked__");

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private int db;
    private int resp = 2;
    private String name;

    private boolean multi;
    private boolean multiError;
    private boolean dirtyCas;
    private final List<CommandSpec> queuedSpecs = new ArrayList<>();
    private final List<byte[][]> queuedArgv = new ArrayList<>();
    private final Map<Engine.DbKey, Boolean> watched = new LinkedHashMap<>();

    private BlockState blockState;
    private Consumer<Reply> replyListener = r -> {};

    /**
     * What a blocked session waits for: one of {@code keys} holding a value of type {@code awaits}
     * (Redis's BLOCKED_LIST, BLOCKED_ZSET: a list waiter is not served by a sorted set).
     */
    public record BlockState(int db, List<byte[]> keys, dev.cellar.core.values.ValueType awaits, long deadlineMillis,
            CommandSpec spec, byte[][] argv, Reply timeoutReply) {}

    /**
     * Whether the client is local in the sense of Redis's {@code local} settings
     * ({@code enable-protected-configs}, {@code enable-debug-command}): a loopback or Unix-socket
     * connection. A session of the embedding API runs in the same process, so it is.
     */
    public boolean isLocal() {
        return true;
    }

    /** Whether a {@code yes}/{@code no}/{@code local} setting's value lets this client through. */
    public boolean allowedBy(String yesNoLocal) {
        return yesNoLocal.equals("yes") || (yesNoLocal.equals("local") && isLocal());
    }

    /** The client id ({@code CLIENT ID}). */
    public long id() {
        return id;
    }

    /** The selected database. */
    public int db() {
        return db;
    }

    /** Selects a database (the caller has checked the index). */
    public void selectDb(int index) {
        this.db = index;
    }

    /** Whether CLIENT TRACKING is on (the engine reports the keys its read-only commands read). */
    private boolean tracking;

    /** Whether CLIENT TRACKING is on for this session. */
    public boolean tracking() {
        return tracking;
    }

    /** Turns the engine's reports of this session's reads on or off (CLIENT TRACKING). */
    public void setTracking(boolean on) {
        this.tracking = on;
    }

    /** The protocol version, 2 or 3. */
    public int resp() {
        return resp;
    }

    /** Sets the protocol version. */
    public void setResp(int resp) {
        this.resp = resp;
    }

    /** The client name, or null. */
    public String name() {
        return name;
    }

    /** Sets the client name. */
    public void setName(String name) {
        this.name = name;
    }

    /** Sets where replies of blocked commands go once they are served or time out. */
    public void setReplyListener(Consumer<Reply> listener) {
        this.replyListener = listener;
    }

    /** Sends a late reply (of a command that blocked). */
    public void deliver(Reply reply) {
        replyListener.accept(reply);
    }

    // ------------------------------------------------------------------ transactions

    /** Whether MULTI is open. */
    public boolean inMulti() {
        return multi;
    }

    void startMulti() {
        multi = true;
        multiError = false;
        queuedSpecs.clear();
        queuedArgv.clear();
    }

    /** Flags the open transaction as failed (a command could not be queued). */
    void flagMultiError() {
        if (multi) {
            multiError = true;
        }
    }

    boolean multiError() {
        return multiError;
    }

    void queue(CommandSpec spec, byte[][] argv) {
        queuedSpecs.add(spec);
        queuedArgv.add(argv);
    }

    List<CommandSpec> queuedSpecs() {
        return queuedSpecs;
    }

    List<byte[][]> queuedArgv() {
        return queuedArgv;
    }

    boolean queuedDenyOom() {
        return multi && queuedSpecs.stream().anyMatch(s -> s.has(CommandFlag.DENYOOM));
    }

    boolean queuedWrite() {
        return multi && queuedSpecs.stream().anyMatch(s -> s.has(CommandFlag.WRITE));
    }

    /** Ends the transaction state (after EXEC or DISCARD). */
    void endMulti() {
        multi = false;
        multiError = false;
        dirtyCas = false;
        queuedSpecs.clear();
        queuedArgv.clear();
    }

    void discardTransactionIfExec(CommandSpec spec) {
        if (multi && spec.shortName().equals("exec")) {
            endMulti();
        }
    }

    void markDirtyCas() {
        dirtyCas = true;
    }

    boolean dirtyCas() {
        return dirtyCas;
    }

    void addWatched(Engine.DbKey key, boolean expiredAtWatch) {
        watched.put(key, expiredAtWatch);
    }

    Iterable<Engine.DbKey> watchedKeys() {
        return new ArrayList<>(watched.keySet());
    }

    Map<Engine.DbKey, Boolean> watchedExpiredAtWatch() {
        return watched;
    }

    void clearWatched() {
        watched.clear();
        dirtyCas = false;
    }

    /** The number of watched keys. */
    public int watchedCount() {
        return watched.size();
    }

    // ------------------------------------------------------------------ blocking

    /** What the session is blocked on, or null. */
    public BlockState blockState() {
        return blockState;
    }

    void setBlocked(BlockState state) {
        this.blockState = state;
    }

    /** Whether the session waits on a blocking command. */
    public boolean blocked() {
        return blockState != null;
    }
}
