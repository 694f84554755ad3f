package dev.cellar.core.engine;

/** Command flags, Redis 7's names; the dispatcher acts on them once for every command. */
public enum CommandFlag {
    /** Changes the keyspace. */
    WRITE,
    /** Only reads. */
    READONLY,
    /** May grow memory: refused with {@code OOM} over {@code maxmemory}. */
    DENYOOM,
    /** Administrative. */
    ADMIN,
    /** Pub/Sub. */
    PUBSUB,
    /** Not allowed from scripts. */
    NOSCRIPT,
    /** May block the client. */
    BLOCKING,
    /** Allowed while loading the data set. */
    LOADING,
    /** Allowed on a stale replica. */
    STALE,
    /** Not shown by MONITOR. */
    SKIP_MONITOR,
    /** Not logged in SLOWLOG. */
    SKIP_SLOWLOG,
    /** O(1) or O(log N). */
    FAST,
    /** Allowed before authentication. */
    NO_AUTH,
    /** Not allowed inside MULTI. */
    NO_MULTI,
    /** Allowed while the server is busy with a script. */
    ALLOW_BUSY,
    /**
     * Refused while a replica loads its data set in the background ({@code repl-diskless-load
     * swapdb}); Cellar has no replicas, the flag is shown by COMMAND INFO as Redis shows it.
     */
    NO_ASYNC_LOADING,
    /** The reply may vary between runs for the same data (random commands). */
    NONDETERMINISTIC_OUTPUT,
    /** Key positions come from the arguments (a numkeys argument), not from first/last/step. */
    MOVABLEKEYS,
    /** Allowed in a client in Pub/Sub mode (RESP2). */
    PUBSUB_ALLOWED;

    /** The flag name as {@code COMMAND INFO} prints it. */
    public String redisName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace("_", "_");
    }
}
