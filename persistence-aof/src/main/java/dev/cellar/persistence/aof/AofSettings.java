package dev.cellar.persistence.aof;

import dev.cellar.api.CellarConfig;
import java.util.Locale;

/**
 * The AOF settings, read by their Redis names with Redis's defaults when absent. {@code appendonly}
 * is not among them: the store opens the engine only while it is {@code yes} (at start-up, or at
 * run time through {@link AofEngine#begin()}) and closes it when it turns {@code no}.
 *
 * <p>All but the two file names can change at run time, as in Redis: the engine reads them again
 * when told ({@link AofEngine#settingChanged}). {@code aof-use-rdb-preamble} picks the format of
 * the next base an engine writes when it has an RDB writer (the hybrid provider's); without one
 * every base is RESP.
 */
record AofSettings(String fileName, String dirName, Fsync fsync, long rewritePercentage,
                   long rewriteMinSize, boolean loadTruncated, boolean timestamps, boolean disableAutoGc,
                   boolean incrementalFsync, boolean rdbPreamble, boolean noFsyncOnRewrite) {

    /** The settings read here that may change while the engine runs. */
    static final java.util.Set<String> RUN_TIME = java.util.Set.of("appendfsync", "auto-aof-rewrite-percentage",
            "auto-aof-rewrite-min-size", "aof-load-truncated", "aof-timestamp-enabled", "aof-disable-auto-gc",
            "aof-rewrite-incremental-fsync", "aof-use-rdb-preamble", "no-appendfsync-on-rewrite");

    /** {@code appendfsync}. */
    enum Fsync { ALWAYS, EVERYSEC, NO }

    static AofSettings from(CellarConfig config) {
        return new AofSettings(
                string(config, "appendfilename", "appendonly.aof"),
                string(config, "appenddirname", "appendonlydir"),
                Fsync.valueOf(string(config, "appendfsync", "everysec").toUpperCase(Locale.ROOT)),
                Long.parseLong(string(config, "auto-aof-rewrite-percentage", "100")),
                memory(string(config, "auto-aof-rewrite-min-size", "64mb")),
                config.getBoolean("aof-load-truncated", true),
                config.getBoolean("aof-timestamp-enabled", false),
                config.getBoolean("aof-disable-auto-gc", false),
                config.getBoolean("aof-rewrite-incremental-fsync", true),
                config.getBoolean("aof-use-rdb-preamble", true),
                config.getBoolean("no-appendfsync-on-rewrite", false));
    }

    private static String string(CellarConfig config, String name, String dflt) {
        String v = config.get(name);
        return v == null ? dflt : v.trim();
    }

    /** Redis's memory notation: 1k = 1000, 1kb = 1024, likewise m, mb, g, gb. */
    static long memory(String v) {
        String s = v.toLowerCase(Locale.ROOT);
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
        return Math.multiplyExact(Long.parseLong(s), mul);
    }
}
