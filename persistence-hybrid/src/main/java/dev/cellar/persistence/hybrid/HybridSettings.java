package dev.cellar.persistence.hybrid;

import dev.cellar.api.CellarConfig;
import java.util.Locale;

/**
 * The settings the hybrid provider reads itself for an RDB base, by their Redis names with Redis's
 * defaults; the AOF settings proper ({@code appendfsync}, {@code aof-use-rdb-preamble},
 * {@code auto-aof-rewrite-*}, ...) are read by the AOF engine.
 *
 * @param compression         {@code rdbcompression}
 * @param checksum            {@code rdbchecksum}
 * @param listMaxListpackSize {@code list-max-listpack-size} (its old name {@code list-max-ziplist-size} too)
 * @param keySaveDelayMicros  {@code rdb-key-save-delay}: Redis pauses after each key of an RDB base too
 */
record HybridSettings(boolean compression, boolean checksum, int listMaxListpackSize, int keySaveDelayMicros) {

    static HybridSettings from(CellarConfig config) {
        String fill = config.get("list-max-listpack-size");
        if (fill == null) {
            fill = config.get("list-max-ziplist-size");
        }
        int listMaxListpackSize;
        try {
            listMaxListpackSize = fill == null ? -2 : Integer.parseInt(fill.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid 'list-max-listpack-size' value '" + fill + "' (expected: an integer)");
        }
        return new HybridSettings(
                bool(config, "rdbcompression", true),
                bool(config, "rdbchecksum", true),
                listMaxListpackSize,
                config.get("rdb-key-save-delay") == null ? 0 : Integer.parseInt(config.get("rdb-key-save-delay").trim()));
    }

    private static boolean bool(CellarConfig config, String name, boolean dflt) {
        String v = config.get(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException("invalid '" + name + "' value '" + v + "' (expected: yes or no)");
        };
    }
}
