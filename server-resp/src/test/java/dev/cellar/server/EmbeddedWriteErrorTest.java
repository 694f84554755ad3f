package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.persistence.aof.FaultyAofProvider;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding API answers a write whose log write fails under {@code appendfsync always} with
 * the MISCONF error the server sends (not an exception), answers reads, and accepts writes again
 * once the disk recovers. Here because this module registers the faulty test provider.
 */
class EmbeddedWriteErrorTest {
    private static final String MISCONF = "MISCONF Errors writing to the AOF file: No space left on device";

    @TempDir
    Path dir;

    @AfterEach
    void clearFaults() {
        FaultyAofProvider.reset();
    }

    private Cellar open() {
        return Cellar.open(CellarConfig.builder().dir(dir).persistence(FaultyAofProvider.NAME)
                .set("appendonly", "yes").set("appendfsync", "always").build());
    }

    @Test
    void aFailedWriteIsAnErrorReplyAndReadsGoOn() {
        try (Cellar cellar = open()) {
            assertThat(cellar.execute(0, "SET", "before", "1")).isEqualTo(Reply.OK);
            FaultyAofProvider.diskFull(true);
            assertThat(cellar.execute(0, "SET", "during", "1")).isEqualTo(new Reply.Error(MISCONF));
            assertThat(cellar.execute(0, "GET", "before")).isEqualTo(Reply.bulk("1"));
            List<Reply> replies = cellar.pipeline(0, List.of(
                    new byte[][] {"GET".getBytes(), "before".getBytes()},
                    new byte[][] {"INCR".getBytes(), "n".getBytes()}));
            assertThat(replies.get(0)).isEqualTo(Reply.bulk("1"));
            assertThat(replies.get(1)).isInstanceOf(Reply.Error.class);
            assertThat(((Reply.Error) replies.get(1)).message()).startsWith("MISCONF Errors writing to the AOF file");
            FaultyAofProvider.diskFull(false);
            Reply after = null;
            for (int i = 0; i < 100 && !Reply.OK.equals(after); i++) {
                after = cellar.execute(0, "SET", "after", "1");
                sleep();
            }
            assertThat(after).isEqualTo(Reply.OK);
        }
        try (Cellar cellar = Cellar.open(CellarConfig.builder().dir(dir).persistence("aof")
                .set("appendonly", "yes").build())) {
            assertThat(cellar.execute(0, "GET", "before")).isEqualTo(Reply.bulk("1"));
            assertThat(cellar.execute(0, "GET", "after")).isEqualTo(Reply.bulk("1"));
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
