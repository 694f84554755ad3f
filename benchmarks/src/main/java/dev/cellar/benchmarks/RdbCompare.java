package dev.cellar.benchmarks;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cellar's side of benchmarks/rdb-compare.sh: fills {@code n} keys shaped as DEBUG POPULATE makes
 * them ({@code key:N -> value:N}), times SAVE, the file size, and the start-up load of that file.
 * Usage: {@code RdbCompare <dir> <keys>}; prints {@code cellar_save_ms=..} lines.
 */
public final class RdbCompare {
    private RdbCompare() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("dump.rdb"));
        CellarConfig config = CellarConfig.builder().set("cellar-persistence", "rdb").set("dir", dir.toString())
                .set("save", "").build();
        try (CellarEngine cellar = new CellarEngine(config)) {
            int batch = 1000;
            for (int i = 0; i < n; i += batch) {
                byte[][] argv = new byte[1 + 2 * Math.min(batch, n - i)][];
                argv[0] = b("MSET");
                for (int j = 0; j < (argv.length - 1) / 2; j++) {
                    argv[1 + 2 * j] = b("key:" + (i + j));
                    argv[2 + 2 * j] = b("value:" + (i + j));
                }
                cellar.execute(0, argv);
            }
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                Reply r = cellar.execute(0, b("SAVE"));
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println("cellar_save_ms=" + ms + " (" + r + ")");
            }
        }
        System.out.println("cellar_file_bytes=" + Files.size(dir.resolve("dump.rdb")));
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            try (CellarEngine cellar = new CellarEngine(config)) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println("cellar_load_ms=" + ms + " keys=" + cellar.persistenceInfo().get("rdb_last_load_keys_loaded"));
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
