package dev.cellar.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The registry of configuration parameters under Redis's names: what {@code redis.conf},
 * {@code CONFIG GET/SET} and the embedding API's {@code CellarConfig} all read and write. Each
 * parameter validates its value and reports why one is refused; the server adds its own
 * parameters to the same registry.
 */
public final class Settings {

    /** How a parameter's value is written and checked. */
    public enum Kind {
        /** An integer within bounds. */
        INTEGER,
        /** A byte size with Redis's units (1k = 1000, 1kb = 1024, mb, gb...). */
        MEMORY,
        /** {@code yes} or {@code no}. */
        BOOLEAN,
        /** One of a fixed set of words. */
        ENUM,
        /** Free text. */
        STRING,
        /** A double within bounds. */
        DOUBLE
    }

    /** One parameter. */
    public static final class Param {
        final String name;
        final Kind kind;
        final long min;
        final long max;
        final List<String> choices;
        final boolean mutable;
        String value;
        long longValue;
        double doubleValue;
        final List<Consumer<String>> listeners = new ArrayList<>();
        final List<String> aliases = new ArrayList<>();
        /** Turns a string value into the form CONFIG GET shows (or refuses it); null keeps it as given. */
        UnaryOperator<String> canonical;
        boolean protectedConfig;
        boolean hidden;
        /** Bounds a valid value is brought within before it is stored, or null. */
        long[] clamp;

        Param(String name, Kind kind, String defaultValue, long min, long max, List<String> choices, boolean mutable) {
            this.name = name;
            this.kind = kind;
            this.min = min;
            this.max = max;
            this.choices = choices;
            this.mutable = mutable;
            String error = apply(defaultValue);
            if (error != null) {
                throw new IllegalArgumentException(name + ": bad default: " + error);
            }
        }

        /** The name. */
        public String name() {
            return name;
        }

        /** Its other names (Redis's old ones: {@code hash-max-ziplist-entries}, ...). */
        public List<String> aliases() {
            return java.util.Collections.unmodifiableList(aliases);
        }

        /**
         * Marks it hidden, as Redis's {@code HIDDEN_CONFIG} testing knobs: CONFIG GET reaches it by
         * its exact name only, never through a pattern.
         */
        public Param hidden() {
            hidden = true;
            return this;
        }

        /**
         * Brings an accepted value within {@code [lo, hi]} before storing it (CONFIG GET then shows
         * the value in force), as Redis's {@code hz} takes any value from 0 and runs at 1 to 500.
         */
        public Param clampedTo(long lo, long hi) {
            clamp = new long[] {lo, hi};
            return this;
        }

        /** Whether CONFIG GET patterns skip it. */
        public boolean isHidden() {
            return hidden;
        }

        /** Whether CONFIG SET may change it at run time. */
        public boolean mutable() {
            return mutable;
        }

        /** The current value as CONFIG GET prints it. */
        public String value() {
            return value;
        }

        /**
         * Stores string values in the form {@code canonical} gives them (CONFIG GET then shows that
         * form, as Redis shows its parsed value); it refuses a value by throwing
         * {@link IllegalArgumentException}, whose message is the reason.
         */
        public Param canonical(UnaryOperator<String> canonical) {
            this.canonical = canonical;
            return this;
        }

        /**
         * Marks it as one of Redis's protected configs ({@code dir}, {@code dbfilename}): CONFIG SET
         * changes it only as {@code enable-protected-configs} allows.
         */
        public Param protectedConfig() {
            this.protectedConfig = true;
            return this;
        }

        /** Whether it is a protected config. */
        public boolean isProtected() {
            return protectedConfig;
        }

        /** Adds an alternative name (Redis's old ziplist names). */
        public Param alias(String alias) {
            aliases.add(alias);
            return this;
        }

        /**
         * Calls {@code listener} with the new value after every change. A listener may refuse the
         * value by throwing {@link IllegalArgumentException}: the parameter keeps its old value and
         * the exception's message is the reason {@link Settings#set} returns (CONFIG SET's error).
         */
        public Param onChange(Consumer<String> listener) {
            listeners.add(listener);
            return this;
        }

        /** Validates and stores a value; returns the reason it was refused, or null. */
        String apply(String raw) {
            switch (kind) {
                case INTEGER, MEMORY -> {
                    long v;
                    try {
                        v = kind == Kind.MEMORY ? parseMemory(raw) : Long.parseLong(raw.trim());
                    } catch (NumberFormatException e) {
                        return kind == Kind.MEMORY ? "argument must be a memory value"
                                : "argument couldn't be parsed into an integer";
                    } catch (ArithmeticException e) { // a number and a unit past 64 bits: out of range, as Redis says
                        return "argument must be between " + min + " and " + max + " inclusive";
                    }
                    if (kind == Kind.MEMORY && v < 0) { // Redis's memtoull takes no sign
                        return "argument must be a memory value";
                    }
                    if (v < min || v > max) {
                        return "argument must be between " + min + " and " + max + " inclusive";
                    }
                    if (clamp != null) {
                        v = Math.max(clamp[0], Math.min(clamp[1], v));
                    }
                    longValue = v;
                    value = Long.toString(v);
                }
                case DOUBLE -> {
                    double v;
                    try {
                        v = Double.parseDouble(raw.trim());
                    } catch (NumberFormatException e) {
                        return "argument couldn't be parsed into a double";
                    }
                    if (v < min || v > max) {
                        return "argument must be between " + min + " and " + max + " inclusive";
                    }
                    doubleValue = v;
                    value = raw.trim();
                }
                case BOOLEAN -> {
                    String v = raw.trim().toLowerCase(Locale.ROOT);
                    if (!v.equals("yes") && !v.equals("no")) {
                        return "argument must be 'yes' or 'no'";
                    }
                    longValue = v.equals("yes") ? 1 : 0;
                    value = v;
                }
                case ENUM -> {
                    String v = raw.trim().toLowerCase(Locale.ROOT);
                    if (!choices.contains(v)) {
                        return "argument(s) must be one of the following: " + String.join(", ", choices);
                    }
                    value = v;
                }
                default -> {
                    if (canonical == null) {
                        value = raw;
                    } else {
                        try {
                            value = canonical.apply(raw);
                        } catch (IllegalArgumentException e) {
                            return e.getMessage();
                        }
                    }
                }
            }
            return null;
        }
    }

    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, Param> byAlias = new LinkedHashMap<>();

    /** Defines an integer parameter. */
    public Param defineInt(String name, long defaultValue, long min, long max, boolean mutable) {
        return put(new Param(name, Kind.INTEGER, Long.toString(defaultValue), min, max, List.of(), mutable));
    }

    /** Defines a byte-size parameter. */
    public Param defineMemory(String name, String defaultValue, long max, boolean mutable) {
        return defineMemory(name, defaultValue, 0, max, mutable);
    }

    /** Defines a byte-size parameter of at least {@code min} bytes. */
    public Param defineMemory(String name, String defaultValue, long min, long max, boolean mutable) {
        return put(new Param(name, Kind.MEMORY, defaultValue, min, max, List.of(), mutable));
    }

    /** Defines a yes/no parameter. */
    public Param defineBool(String name, boolean defaultValue, boolean mutable) {
        return put(new Param(name, Kind.BOOLEAN, defaultValue ? "yes" : "no", 0, 1, List.of(), mutable));
    }

    /** Defines a parameter taking one of some words. */
    public Param defineEnum(String name, String defaultValue, List<String> choices, boolean mutable) {
        return put(new Param(name, Kind.ENUM, defaultValue, 0, 0, choices, mutable));
    }

    /** Defines a free-text parameter. */
    public Param defineString(String name, String defaultValue, boolean mutable) {
        return put(new Param(name, Kind.STRING, defaultValue, 0, 0, List.of(), mutable));
    }

    /** Defines a double parameter. */
    public Param defineDouble(String name, double defaultValue, long min, long max, boolean mutable) {
        return put(new Param(name, Kind.DOUBLE, Double.toString(defaultValue), min, max, List.of(), mutable));
    }

    private Param put(Param p) {
        params.put(p.name, p);
        return p;
    }

    /** The parameter with this name or alias, or null. */
    public Param param(String name) {
        Param exact = params.get(name);
        if (exact != null) {
            return exact; // the engine's own reads, with constant lower-case names, on every command
        }
        String n = name.toLowerCase(Locale.ROOT);
        Param p = params.get(n);
        if (p == null) {
            for (Param q : params.values()) {
                if (q.aliases.contains(n)) {
                    return q;
                }
            }
        }
        return p;
    }

    /** Every parameter, in definition order. */
    public Iterable<Param> all() {
        return params.values();
    }

    /** Whether a parameter exists. */
    public boolean has(String name) {
        return param(name) != null;
    }

    /** The current value as text. */
    public String get(String name) {
        return require(name).value;
    }

    /** The value of an integer, memory or boolean parameter. */
    public long getLong(String name) {
        return require(name).longValue;
    }

    /** The value of an integer parameter as an int. */
    public int getInt(String name) {
        return (int) require(name).longValue;
    }

    /** The value of a yes/no parameter. */
    public boolean getBool(String name) {
        return require(name).longValue == 1;
    }

    /** The value of a double parameter. */
    public double getDouble(String name) {
        return require(name).doubleValue;
    }

    private Param require(String name) {
        Param p = param(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown setting '" + name + "'");
        }
        return p;
    }

    /**
     * Sets a parameter from text and notifies its listeners; returns the reason it was refused, or
     * null. {@code startup} allows parameters that CONFIG SET may not change.
     */
    public String set(String name, String value, boolean startup) {
        Param p = param(name);
        if (p == null) {
            return "Unknown option or number of arguments for CONFIG SET - '" + name + "'";
        }
        if (!startup && !p.mutable) {
            return "can't set immutable config";
        }
        String old = p.value;
        long oldLong = p.longValue;
        double oldDouble = p.doubleValue;
        String error = p.apply(value);
        if (error != null) {
            return error;
        }
        try {
            for (Consumer<String> l : p.listeners) {
                l.accept(p.value);
            }
        } catch (IllegalArgumentException e) {
            p.value = old;
            p.longValue = oldLong;
            p.doubleValue = oldDouble;
            return e.getMessage();
        }
        return null;
    }

    /**
     * Parses a byte size as Redis's {@code memtoull}: a number with an optional unit, k/m/g in
     * thousands, kb/mb/gb in 1024s, case-insensitive.
     */
    public static long parseMemory(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"},
            {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(raw);
        }
        if (s.length() > 18 && new java.math.BigInteger(s).bitLength() > 63) {
            throw new ArithmeticException(raw); // digits past 64 bits: out of range, as Redis says
        }
        return Math.multiplyExact(Long.parseLong(s), mul);
    }

    /** The engine's own parameters, with Redis's defaults and bounds. */
    public static Settings engineDefaults() {
        Settings s = new Settings();
        s.defineInt("databases", 16, 1, Integer.MAX_VALUE, false);
        s.defineString("dir", System.getProperty("user.dir"), true).protectedConfig();
        // Redis's: whether CONFIG SET may change the protected configs (yes, no, or local connections only).
        s.defineEnum("enable-protected-configs", "no", List.of("no", "yes", "local"), false);
        s.defineInt("hz", 10, 0, Integer.MAX_VALUE, true).clampedTo(1, 500);
        s.defineBool("dynamic-hz", true, true);
        s.defineInt("active-expire-effort", 1, 1, 10, true);
        s.defineMemory("maxmemory", "0", Long.MAX_VALUE, true);
        s.defineEnum("maxmemory-policy", "noeviction", List.of("volatile-lru", "volatile-lfu", "volatile-random",
                "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), true);
        s.defineInt("maxmemory-samples", 5, 1, Integer.MAX_VALUE, true);
        s.defineInt("maxmemory-eviction-tenacity", 10, 0, 100, true);
        s.defineInt("lfu-log-factor", 10, 0, Integer.MAX_VALUE, true);
        s.defineInt("lfu-decay-time", 1, 0, Integer.MAX_VALUE, true);
        s.defineInt("hash-max-listpack-entries", 512, 0, Long.MAX_VALUE, true).alias("hash-max-ziplist-entries");
        s.defineMemory("hash-max-listpack-value", "64", Long.MAX_VALUE, true).alias("hash-max-ziplist-value");
        s.defineInt("set-max-intset-entries", 512, 0, Long.MAX_VALUE, true);
        s.defineMemory("hll-sparse-max-bytes", "3000", Long.MAX_VALUE, true);
        s.defineInt("zset-max-listpack-entries", 128, 0, Long.MAX_VALUE, true).alias("zset-max-ziplist-entries");
        s.defineMemory("zset-max-listpack-value", "64", Long.MAX_VALUE, true).alias("zset-max-ziplist-value");
        s.defineInt("list-max-listpack-size", -2, Integer.MIN_VALUE, Integer.MAX_VALUE, true)
                .alias("list-max-ziplist-size");
        s.defineInt("list-compress-depth", 0, 0, Integer.MAX_VALUE, true);
        s.defineBool("lazyfree-lazy-eviction", false, true);
        s.defineBool("lazyfree-lazy-expire", false, true);
        s.defineBool("lazyfree-lazy-server-del", false, true);
        s.defineBool("lazyfree-lazy-user-del", false, true);
        s.defineBool("lazyfree-lazy-user-flush", false, true);
        // Append-only file (read by the aof and hybrid providers when they start); appendonly opens
        // and closes the log at run time (PersistenceHost listens).
        s.defineBool("appendonly", false, true);
        s.defineString("appendfilename", "appendonly.aof", false);
        s.defineString("appenddirname", "appendonlydir", false);
        // The rest can change at run time, as in Redis: the log engine is told (settingChanged).
        s.defineEnum("appendfsync", "everysec", List.of("everysec", "always", "no"), true);
        s.defineInt("auto-aof-rewrite-percentage", 100, 0, Integer.MAX_VALUE, true);
        s.defineMemory("auto-aof-rewrite-min-size", "64mb", Long.MAX_VALUE, true);
        s.defineBool("aof-load-truncated", true, true);
        s.defineBool("aof-timestamp-enabled", false, true);
        s.defineBool("aof-disable-auto-gc", false, true);
        s.defineBool("aof-rewrite-incremental-fsync", true, true);
        s.defineBool("aof-use-rdb-preamble", true, true);
        s.defineBool("no-appendfsync-on-rewrite", false, true);
        s.defineString("cellar-persistence", "", false);
        // RDB snapshots (Redis's names and defaults); "save" is read and shown as Redis does (SaveParams)
        s.defineString("save", "3600 1 300 100 60 10000", true).canonical(SaveParams::canonical);
        s.defineString("dbfilename", "dump.rdb", true).protectedConfig().onChange(v -> {
            if (v.isEmpty() || v.contains("/")) {
                throw new IllegalArgumentException("dbfilename can't be a path, just a filename");
            }
        });
        s.defineBool("rdbcompression", true, true);
        s.defineBool("rdbchecksum", true, false);
        s.defineBool("rdb-save-incremental-fsync", true, true);
        // Redis's testing knob: microseconds of pause after each key a save writes (0: none)
        s.defineInt("rdb-key-save-delay", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, true).hidden();
        s.defineBool("stop-writes-on-bgsave-error", true, true);
        // Per-command latency histograms (INFO latencystats, LATENCY HISTOGRAM), as Redis 7
        s.defineBool("latency-tracking", true, true);
        s.defineString("latency-tracking-info-percentiles", "50 99 99.9", true)
                .canonical(LatencyHistogram::canonicalPercentiles);
        s.defineBool("cellar-load-in-background", false, false);
        s.defineString("cellar-expiry-strategy", "default", false);
        s.defineInt("cellar-random-seed", 0, Long.MIN_VALUE, Long.MAX_VALUE, false);
        return s;
    }
}
