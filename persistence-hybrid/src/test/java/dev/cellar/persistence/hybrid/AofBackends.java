package dev.cellar.persistence.hybrid;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.conformance.Capability;
import dev.cellar.conformance.PersistenceBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance kit's descriptions of the log providers ({@code aof}, {@code hybrid}), with the
 * capabilities they honestly have.
 *
 * <p>Both load a log cut short up to its last whole command ({@code aof-load-truncated yes}):
 * {@link Capability#SURVIVES_TRUNCATED_TAIL}. Neither detects a flipped bit: RESP commands carry
 * no checksum (only an RDB base does), so no {@link Capability#DETECTS_CORRUPTION}. Every write is
 * on disk when acknowledged only with {@code appendfsync always}: {@link Capability#DURABLE_ON_EVERY_WRITE}
 * is declared by the variant that sets it. No snapshots (SAVE/BGSAVE belong to the rdb provider)
 * and no fault-injection seam reachable through the public provider.
 */
final class AofBackends {
    private AofBackends() {}

    static PersistenceBackend backend(String provider, boolean fsyncAlways) {
        PersistenceBackend.Builder b = PersistenceBackend.named(provider).dataFiles(AofBackends::dataFiles);
        if (fsyncAlways) {
            b.setting("appendfsync", "always")
                    .capabilities(Capability.SURVIVES_TRUNCATED_TAIL, Capability.DURABLE_ON_EVERY_WRITE);
        } else {
            b.capabilities(Capability.SURVIVES_TRUNCATED_TAIL);
        }
        return b.build();
    }

    /**
     * The manifest, the base, then the incremental files in the manifest's order: the last one is
     * the file appends go to, which the kit cuts to simulate a torn append.
     */
    static List<Path> dataFiles(Path dir) {
        Path aofDir = dir.resolve("appendonlydir");
        Path manifest = aofDir.resolve("appendonly.aof.manifest");
        if (!Files.isRegularFile(manifest)) {
            return List.of();
        }
        List<Path> base = new ArrayList<>();
        List<Path> incrs = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(manifest)) {
                String[] f = line.trim().split(" ");
                if (f.length < 6 || !f[0].equals("file")) {
                    continue;
                }
                switch (f[5]) {
                    case "b" -> base.add(aofDir.resolve(f[1]));
                    case "i" -> incrs.add(aofDir.resolve(f[1]));
                    default -> { } // history files are not data
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> all = new ArrayList<>();
        all.add(manifest);
        all.addAll(base);
        all.addAll(incrs);
        return all;
    }

    /**
     * Skips the test, naming the reason, while the engine's settings registry refuses the AOF's
     * setting names: the server (the integrator) registers them; until then the embedding API
     * cannot pass {@code appendfsync}.
     */
    static void assumeEngineAcceptsAofSettings(PersistenceBackend backend) {
        Path dir;
        try {
            dir = Files.createTempDirectory("cellar-settings-probe");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CellarConfig.Builder b = CellarConfig.builder().dir(dir);
        backend.settings().forEach(b::set);
        try (Cellar probe = Cellar.open(b.build())) {
            // accepted
        } catch (IllegalArgumentException e) {
            Assumptions.abort("the engine refuses the setting(s) " + backend.settings().keySet()
                    + " (" + e.getMessage() + "); they must be registered in core's settings registry");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory
            }
        }
    }
}
