package dev.cellar.persistence.hybrid;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Settings;
import dev.cellar.core.testing.DatasetDump;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/** Opening real engines for the tests, and the command functions the data set helpers run on. */
final class Stores {
    private Stores() {}

    /** The engine's settings registry: it holds the AOF and RDB names the hybrid provider reads. */
    static Settings registryWithPersistenceNames() {
        return Settings.engineDefaults();
    }

    /** A store on {@code dir} with {@code provider} and extra settings given as name, value pairs. */
    static Cellar open(Path dir, String provider, String... settings) {
        CellarConfig.Builder b = CellarConfig.builder().dir(dir).persistence(provider);
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        return new CellarEngine(b.build(), registryWithPersistenceNames());
    }

    /** INFO persistence of a store, as field -> value. */
    static Map<String, String> info(Cellar store) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String line : ((Reply.Bulk) store.execute(0, "INFO", "persistence")).text().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return m;
    }

    /** Runs commands on a Cellar store. */
    static BiFunction<Integer, String[], Reply> on(Cellar store) {
        return store::execute;
    }

    /** Runs commands on a Redis connection, selecting the database first. */
    static BiFunction<Integer, String[], Reply> on(RespClient client) {
        return (db, argv) -> {
            try {
                client.call("SELECT", Integer.toString(db));
                return client.call(argv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The canonical dump of all 16 databases. */
    static Map<String, String> dump(BiFunction<Integer, String[], Reply> exec) {
        return DatasetDump.of(16, exec);
    }

    /**
     * Asserts two dumps are equal; on a difference the message lists the first few keys that differ
     * (values shortened), not the whole data set.
     */
    static void assertSameDataSet(Map<String, String> actual, Map<String, String> expected, String what) {
        java.util.Set<String> keys = new java.util.TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        List<String> diffs = new java.util.ArrayList<>();
        for (String k : keys) {
            String a = actual.get(k);
            String e = expected.get(k);
            if (!java.util.Objects.equals(a, e) && diffs.size() < 10) {
                diffs.add(k + ": expected " + shorten(e) + " but was " + shorten(a));
            }
        }
        if (!diffs.isEmpty()) {
            throw new AssertionError(what + ": " + actual.size() + " keys against " + expected.size()
                    + " expected; first differences:\n  " + String.join("\n  ", diffs));
        }
    }

    private static String shorten(String s) {
        return s == null ? "(absent)" : s.length() <= 160 ? s : s.substring(0, 120) + "...(" + s.length() + " chars)";
    }

    /** Copies a directory of class-path resources (a fixture) into {@code target}. */
    static void copyResource(String resourceDir, Path target, String... names) throws IOException {
        Files.createDirectories(target);
        for (String name : names) {
            try (var in = Stores.class.getResourceAsStream("/" + resourceDir + "/" + name)) {
                if (in == null) {
                    throw new IOException("missing test resource /" + resourceDir + "/" + name);
                }
                Files.copy(in, target.resolve(name));
            }
        }
    }

    /** The names of the files in a directory, sorted. */
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
