package dev.cellar.core.engine;

import java.nio.charset.StandardCharsets;

/**
 * Commands by name, looked up straight from a request's raw name bytes, ignoring ASCII case: no
 * {@code String} is made per command (the dispatcher's lookup is on every request's path).
 *
 * <p>An open-addressing table of the specs, power-of-two sized and at most half full, hashed over
 * the case-folded bytes. Names are ASCII, so folding only {@code A-Z} matches what lower-casing the
 * name as ISO-8859-1 text did: a non-ASCII byte never equals an ASCII one either way.
 */
final class CommandIndex {
    private CommandSpec[] specs = new CommandSpec[8];
    private byte[][] names = new byte[8][];
    private int size;

    /** Adds or replaces the command registered under its lower-case {@code name}. */
    void put(String name, CommandSpec spec) {
        byte[] key = name.getBytes(StandardCharsets.ISO_8859_1);
        if ((size + 1) * 2 > specs.length) {
            grow();
        }
        int mask = specs.length - 1;
        int i = hash(key) & mask;
        while (names[i] != null) {
            if (foldedEquals(names[i], key)) {
                specs[i] = spec;
                return;
            }
            i = (i + 1) & mask;
        }
        names[i] = key;
        specs[i] = spec;
        size++;
    }

    /** The command named by {@code name} in any ASCII case, or null. */
    CommandSpec get(byte[] name) {
        int mask = specs.length - 1;
        int i = hash(name) & mask;
        byte[] n;
        while ((n = names[i]) != null) {
            if (foldedEquals(n, name)) {
                return specs[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private void grow() {
        CommandSpec[] oldSpecs = specs;
        byte[][] oldNames = names;
        specs = new CommandSpec[oldSpecs.length * 2];
        names = new byte[oldNames.length * 2][];
        int mask = specs.length - 1;
        for (int k = 0; k < oldNames.length; k++) {
            if (oldNames[k] != null) {
                int i = hash(oldNames[k]) & mask;
                while (names[i] != null) {
                    i = (i + 1) & mask;
                }
                names[i] = oldNames[k];
                specs[i] = oldSpecs[k];
            }
        }
    }

    private static int fold(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }

    private static int hash(byte[] name) {
        int h = name.length;
        for (byte b : name) {
            h = h * 31 + fold(b);
        }
        return h ^ (h >>> 16);
    }

    /** Whether {@code request}, folded to lower case, equals the lower-case {@code name}. */
    private static boolean foldedEquals(byte[] name, byte[] request) {
        if (name.length != request.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (name[i] != fold(request[i])) {
                return false;
            }
        }
        return true;
    }
}
