package dev.cellar.core.engine;

import dev.cellar.api.Reply;
import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a command implementation works with: its arguments, the session's database, the engine's
 * services (dirty counting, notifications, propagation, blocking), and typed lookups that answer
 * {@code WRONGTYPE} for the caller.
 */
public final class Ctx {
    private final Engine engine;
    private final Session session;
    private final CommandSpec spec;
    private final byte[][] argv;
    private byte[][] propagatedForm;
    private boolean preventPropagation;

    Ctx(Engine engine, Session session, CommandSpec spec, byte[][] argv) {
        this.engine = engine;
        this.session = session;
        this.spec = spec;
        this.argv = argv;
    }

    /**
     * The same command's context over other arguments, for a command that runs another's code on a
     * rewritten argument vector (GEOADD runs the ZADD it amounts to, as Redis's
     * replaceClientCommandVector does); changes, signals and notifications go to the same engine,
     * and what is propagated stays this context's to say.
     */
    public Ctx withArgv(byte[][] rewritten) {
        return new Ctx(engine, session, spec, rewritten);
    }

    // ------------------------------------------------------------------ arguments

    /** All arguments, the command name first. */
    public byte[][] argv() {
        return argv;
    }

    /** Argument {@code i} (0 is the command name). */
    public byte[] arg(int i) {
        return argv[i];
    }

    /** The number of arguments including the command name. */
    public int argc() {
        return argv.length;
    }

    /** Whether argument {@code i} is the keyword, ignoring case. */
    public boolean is(int i, String keyword) {
        return Args.is(argv[i], keyword);
    }

    /** Argument {@code i} as a 64-bit integer, or {@code ERR value is not an integer or out of range}. */
    public long longArg(int i) {
        return Args.parseLong(argv[i]);
    }

    /** Argument {@code i} as a double, or {@code ERR value is not a valid float}. */
    public double doubleArg(int i) {
        return Args.parseDouble(argv[i]);
    }

    /** The command being run. */
    public CommandSpec spec() {
        return spec;
    }

    // ------------------------------------------------------------------ engine

    /** The engine. */
    public Engine engine() {
        return engine;
    }

    /** The session running the command. */
    public Session session() {
        return session;
    }

    /** The session's selected database. */
    public Db db() {
        return engine.db(session.db());
    }

    /** A database by index. */
    public Db db(int index) {
        return engine.db(index);
    }

    /** The command's time in Unix milliseconds (fixed for the whole execution unit). */
    public long now() {
        return engine.now();
    }

    /** The engine's random source. */
    public RandomGenerator random() {
        return engine.random;
    }

    /** The settings registry. */
    public Settings settings() {
        return engine.settings;
    }

    // ------------------------------------------------------------------ typed lookups

    /**
     * The string value of a key for reading ({@code byte[]}; integers are rendered as decimal), or
     * null when absent; {@code WRONGTYPE} for another type.
     */
    public byte[] getString(byte[] key) {
        return asString(db().lookupRead(key));
    }

    /** Like {@link #getString} but for a key about to be replaced or changed. */
    public byte[] getStringForWrite(byte[] key) {
        return asString(db().lookupWrite(key));
    }

    /** A string value as bytes; {@code WRONGTYPE} for a collection. */
    public static byte[] asString(Object v) {
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        if (v instanceof Long l) {
            return Args.bytes(l);
        }
        throw new CommandError(Errors.WRONGTYPE);
    }

    /** A collection of the given type for reading, or null; {@code WRONGTYPE} for another type. */
    public <T extends RValue> T lookupRead(byte[] key, Class<T> type) {
        return cast(db().lookupRead(key), type);
    }

    /** A collection of the given type for changing in place, or null; {@code WRONGTYPE} otherwise. */
    public <T extends RValue> T lookupWrite(byte[] key, Class<T> type) {
        return cast(db().lookupWrite(key), type);
    }

    /** Casts a keyspace value, answering {@code WRONGTYPE} when it is of another type. */
    public static <T extends RValue> T cast(Object v, Class<T> type) {
        if (v == null) {
            return null;
        }
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        throw new CommandError(Errors.WRONGTYPE);
    }

    /** The type of a key, or null. */
    public ValueType typeOf(byte[] key) {
        return db().typeOf(key);
    }

    // ------------------------------------------------------------------ effects

    /** Counts changes to the data set; a command that counts none is not propagated. */
    public void dirty(long changes) {
        engine.dirty += changes;
    }

    /** Signals a change to a key (invalidates WATCH on it). */
    public void signalModified(byte[] key) {
        engine.signalModifiedKey(db(), key);
    }

    /** Signals a change to a key of another database. */
    public void signalModified(Db db, byte[] key) {
        engine.signalModifiedKey(db, key);
    }

    /** Raises a keyspace notification in the current database ({@link KeyspaceListener} types). */
    public void notify(char type, String event, byte[] key) {
        engine.notify(type, event, db(), key);
    }

    /** Raises a keyspace notification in a given database. */
    public void notify(char type, String event, Db db, byte[] key) {
        engine.notify(type, event, db, key);
    }

    /**
     * Replaces the form this command is propagated in (Redis's {@code rewriteClientCommandVector}),
     * for example {@code SET key value PXAT <ms>} for {@code SETEX}.
     */
    public void propagateAs(byte[]... form) {
        this.propagatedForm = form;
    }

    /** Propagates an additional write in the current database (Redis's {@code alsoPropagate}). */
    public void alsoPropagate(byte[]... form) {
        engine.propagate(session.db(), form);
    }

    /** Propagates an additional write in a given database. */
    public void alsoPropagate(int db, byte[]... form) {
        engine.propagate(db, form);
    }

    /** Suppresses propagation of the command itself (its effects were propagated another way). */
    public void preventPropagation() {
        this.preventPropagation = true;
    }

    byte[][] propagatedForm() {
        return propagatedForm;
    }

    boolean propagationPrevented() {
        return preventPropagation;
    }

    /**
     * Blocks the session on keys until one of them is ready or the timeout passes; returns the
     * marker the command must return. When the key becomes ready the command runs again from the
     * start, in the order the sessions blocked. Inside MULTI (or a script) a command must not block:
     * check {@link #mayBlock()} first and reply as on timeout.
     *
     * @param awaits        the type of value that serves it (a key that becomes another type does not)
     * @param timeoutMillis 0 for no timeout
     * @param timeoutReply  what the client gets when the timeout passes
     */
    public Reply block(ValueType awaits, List<byte[]> keys, long timeoutMillis, Reply timeoutReply) {
        long deadline = engine.reblockDeadline >= 0 ? engine.reblockDeadline
                : timeoutMillis == 0 ? 0 : engine.clock.currentTimeMillis() + timeoutMillis;
        engine.block(session, new Session.BlockState(session.db(), keys, awaits, deadline, spec, argv, timeoutReply));
        return Session.BLOCKED;
    }

    /**
     * The key whose readiness is serving this blocked command (it runs again from the start), or
     * null when the command runs as sent. Redis 7.0 serves a blocked client from that key only and
     * propagates the served form its own way (for example {@code LMOVE src dst left right}).
     */
    public byte[] servedReadyKey() {
        return engine.servingReadyKey;
    }

    /** Whether the command may block (not inside MULTI/EXEC). */
    public boolean mayBlock() {
        return !session.inMulti() && !engine.loading;
    }
}
