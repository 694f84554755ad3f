package dev.cellar.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.HashValue;
import dev.cellar.core.values.ListValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * While a snapshot loads, the memory account grows with every key added (INFO's used_memory
 * follows the load, as Redis's does), and what it reaches equals the recount the end of the load
 * makes: the loader counts from what it has in hand ({@link Dict#bytesFor}), the same bytes as
 * reading the stored slot would give.
 */
class LoadingMemoryTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theAccountGrowsDuringALoadAndMatchesTheRecountAtItsEnd() {
        try (TestEngine t = TestEngine.create()) {
            t.cellar.withLock(() -> {
                Engine engine = t.cellar.engine();
                Db db = engine.db(0);
                long empty = engine.usedMemory();
                engine.setLoading(true);
                long previous = empty;
                for (int i = 0; i < 300; i++) {
                    // packed, integer, raw (over 44 bytes), long keys (not packed), with and without expiry
                    String value = switch (i % 4) {
                        case 0 -> "v" + i;
                        case 1 -> Integer.toString(i);
                        case 2 -> "x".repeat(60 + i);
                        default -> "y";
                    };
                    String key = i % 7 == 0 ? "k".repeat(300) + i : "key:" + i;
                    assertThat(db.loadString(b(key), b(value), i % 3 == 0 ? 4_102_444_800_000L : -1, -1)).isTrue();
                    assertThat(engine.usedMemory()).isGreaterThan(previous);
                    previous = engine.usedMemory();
                }
                ListValue list = new ListValue(-2);
                list.pushTail(b("a"));
                list.pushTail(b("b"));
                db.addLoaded(b("list"), list, -1);
                HashValue hash = HashValue.create();
                hash.set(b("f"), b("v"), 128, 64);
                db.addLoaded(b("hash"), hash, 4_102_444_800_000L);
                assertThat(engine.usedMemory()).isGreaterThan(previous);
                long duringLoad = engine.usedMemory();
                engine.setLoading(false); // recounts every key
                assertThat(engine.usedMemory()).isEqualTo(duringLoad);
                return null;
            });
        }
    }
}
