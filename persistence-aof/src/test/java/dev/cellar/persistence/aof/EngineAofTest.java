package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aof provider inside a real engine: settings by Redis's names, BGREWRITEAOF, expiries replayed. */
class EngineAofTest {
    @TempDir
    Path dir;

    private Cellar open(String... settings) {
        CellarConfig.Builder b = CellarConfig.builder().dir(dir).persistence("aof");
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        return Cellar.open(b.build());
    }

    @Test
    void keysWithExpiriesSurviveARewriteAndARestart() throws Exception {
        long far = System.currentTimeMillis() + 3_600_000;
        try (Cellar cellar = open("appendfsync", "always")) {
            cellar.execute(0, "SET", "s", "v");
            cellar.execute(0, "RPUSH", "l", "a", "b");
            cellar.execute(2, "HSET", "h", "f", "1");
            cellar.execute(0, "PEXPIREAT", "s", Long.toString(far));
            assertThat(cellar.execute(0, "BGREWRITEAOF")).isEqualTo(new Reply.Simple("Background append only file rewriting started"));
            waitForRewrite(cellar);
            cellar.execute(0, "SADD", "after", "x");
        }
        try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).anyMatch(n -> n.endsWith(".base.aof"));
        }
        try (Cellar cellar = open()) {
            assertThat(cellar.execute(0, "GET", "s")).isEqualTo(Reply.bulk("v"));
            assertThat(cellar.execute(0, "PEXPIRETIME", "s")).isEqualTo(Reply.of(far));
            assertThat(cellar.execute(0, "LRANGE", "l", "0", "-1"))
                    .isEqualTo(Reply.array(List.of(Reply.bulk("a"), Reply.bulk("b"))));
            assertThat(cellar.execute(2, "HGET", "h", "f")).isEqualTo(Reply.bulk("1"));
            assertThat(cellar.execute(0, "SISMEMBER", "after", "x")).isEqualTo(Reply.ONE);
        }
    }

    @Test
    void anUnknownFsyncPolicyIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> open("appendfsync", "sometimes"))
                .hasMessageContaining("appendfsync");
    }

    private static void waitForRewrite(Cellar cellar) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Reply info = cellar.execute(0, "INFO", "persistence");
            if (info instanceof Reply.Bulk b && b.text().contains("aof_rewrite_in_progress:0")
                    && b.text().contains("aof_last_bgrewrite_status:ok")) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the rewrite did not finish: " + cellar.execute(0, "INFO", "persistence"));
    }
}
