package dev.cellar.core.engine;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One row of the command table: name, arity (negative means "at least"), flags, key positions,
 * group, and the implementation. Statistics for INFO commandstats live beside it, as in Redis.
 */
public final class CommandSpec {
    private final String name;
    private final int arity;
    private final Set<CommandFlag> flags;
    /** The flags as bits by ordinal: {@link #has} is asked several times per dispatched command. */
    private final long flagBits;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final String group;
    private final Handler handler;
    /** Finds the keys of a command whose keys move with its options; null for first/last/step. */
    private KeyFinder keyFinder;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    private final CommandIndex subcommandIndex = new CommandIndex();
    private CommandSpec parent;

    long calls;
    long microseconds;
    long rejectedCalls;
    long failedCalls;
    /** Made at the first call timed while {@code latency-tracking} is on; null until then. */
    LatencyHistogram latency;

    CommandSpec(String name, int arity, Set<CommandFlag> flags, int firstKey, int lastKey, int keyStep,
            String group, Handler handler) {
        this.name = name.toLowerCase(Locale.ROOT);
        this.arity = arity;
        this.flags = flags.isEmpty() ? EnumSet.noneOf(CommandFlag.class) : EnumSet.copyOf(flags);
        long bits = 0;
        for (CommandFlag f : this.flags) {
            bits |= 1L << f.ordinal();
        }
        this.flagBits = bits;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.group = group;
        this.handler = handler;
    }

    /** The lower-case name; {@code container|sub} for a subcommand. */
    public String name() {
        return parent == null ? name : parent.name + "|" + name;
    }

    /** The name without the container part. */
    public String shortName() {
        return name;
    }

    /** Arity: the exact argument count including the name, or at least {@code -arity} if negative. */
    public int arity() {
        return arity;
    }

    /** Whether the argument count is acceptable. */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /** The flags. */
    public Set<CommandFlag> flags() {
        return flags;
    }

    /** Whether a flag is set. */
    public boolean has(CommandFlag flag) {
        return (flagBits & 1L << flag.ordinal()) != 0;
    }

    /** Position of the first key argument (0 for none). */
    public int firstKey() {
        return firstKey;
    }

    /** Position of the last key argument (negative counts from the end). */
    public int lastKey() {
        return lastKey;
    }

    /** Step between key arguments. */
    public int keyStep() {
        return keyStep;
    }

    /** Where the key arguments of one call are, for a command whose keys move with its options. */
    @FunctionalInterface
    public interface KeyFinder {
        /** The positions in {@code argv} (the command name first) of the keys, in order. */
        int[] positions(byte[][] argv);
    }

    /** Sets how the keys of a call are found when first/last/step cannot say (SORT ... STORE). */
    public CommandSpec keys(KeyFinder finder) {
        this.keyFinder = finder;
        return this;
    }

    /** Whether its calls name keys: not so for a Pub/Sub command, whose shard channels are no keys. */
    public boolean hasKeys() {
        return firstKey > 0 && !has(CommandFlag.PUBSUB);
    }

    /**
     * The positions of a call's key arguments, as COMMAND GETKEYS and client tracking see them:
     * none when it {@link #hasKeys has no keys}, the {@link #keys finder}'s answer for one whose
     * keys move, else first to last by step.
     */
    public int[] keyPositions(byte[][] argv) {
        if (!hasKeys()) {
            return new int[0];
        }
        if (keyFinder != null) {
            return keyFinder.positions(argv);
        }
        int last = Math.min(lastKey < 0 ? argv.length + lastKey : lastKey, argv.length - 1);
        int step = Math.max(1, keyStep);
        int[] out = new int[last < firstKey ? 0 : (last - firstKey) / step + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = firstKey + i * step;
        }
        return out;
    }

    /** The command group ({@code string}, {@code list}, {@code generic}, ...). */
    public String group() {
        return group;
    }

    /** The implementation; null for a container of subcommands. */
    public Handler handler() {
        return handler;
    }

    /** Subcommands by lower-case name (empty when none). */
    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    /** The container command, or null. */
    public CommandSpec parent() {
        return parent;
    }

    /** Whether it has subcommands (a container, or COMMAND, which also runs alone). */
    public boolean hasSubcommands() {
        return !subcommands.isEmpty();
    }

    /**
     * The command that {@code argv} (naming this one first) runs, as Redis looks it up: the
     * subcommand its second argument names when this one has subcommands (COMMAND COUNT too, though
     * COMMAND also runs alone), null when it names none; else this one. Arity is the caller's to check.
     */
    public CommandSpec forArgs(byte[][] argv) {
        return argv.length >= 2 && hasSubcommands() && arityAccepts(argv.length) ? subcommand(argv[1]) : this;
    }

    /** Adds a subcommand. */
    public CommandSpec addSubcommand(CommandSpec sub) {
        sub.parent = this;
        subcommands.put(sub.name, sub);
        subcommandIndex.put(sub.name, sub);
        return sub;
    }

    /** The subcommand a request names, from its raw bytes in any ASCII case, or null. */
    public CommandSpec subcommand(byte[] name) {
        return subcommandIndex.get(name);
    }

    /** Calls since start or the last reset. */
    public long calls() {
        return calls;
    }

    /** Microseconds spent in calls. */
    public long microseconds() {
        return microseconds;
    }

    /** Calls refused before running (arity, OOM, ...). */
    public long rejectedCalls() {
        return rejectedCalls;
    }

    /** Calls that ran and replied with an error. */
    public long failedCalls() {
        return failedCalls;
    }

    /** The latency distribution of its calls (INFO latencystats), or null when none was recorded. */
    public LatencyHistogram latency() {
        return latency;
    }

    void recordLatency(long micros) {
        if (latency == null) {
            latency = new LatencyHistogram();
        }
        latency.recordMicros(micros);
    }

    /** Resets the statistics. */
    public void resetStats() {
        latency = null;
        calls = 0;
        microseconds = 0;
        rejectedCalls = 0;
        failedCalls = 0;
        subcommands.values().forEach(CommandSpec::resetStats);
    }

    @Override
    public String toString() {
        return name();
    }
}
