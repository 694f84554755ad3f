package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ValueReader.requireDistinct: duplicate members and fields are refused, values may repeat")
class RequireDistinctTest {

    @Test
    @DisplayName("every size, every position of a duplicate, members (stride 1) and fields (stride 2)")
    void findsEveryDuplicate() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 2; n <= 300; n += n < 20 ? 1 : 37) {
            for (int width = 1; width <= 2; width++) {
                int stride = width;
                byte[][] items = new byte[n * stride][];
                for (int i = 0; i < n; i++) {
                    items[i * stride] = ("m" + i).getBytes(StandardCharsets.US_ASCII);
                    if (stride == 2) {
                        items[i * stride + 1] = "same value".getBytes(StandardCharsets.US_ASCII);
                    }
                }
                assertThatCode(() -> ValueReader.requireDistinct(items, stride, 5, "things")).doesNotThrowAnyException();
                int a = random.nextInt(n);
                int b = (a + 1 + random.nextInt(n - 1)) % n;
                items[b * stride] = items[a * stride].clone();
                String name = new String(items[a * stride], StandardCharsets.US_ASCII);
                assertThatThrownBy(() -> ValueReader.requireDistinct(items, stride, 5, "things"))
                        .isInstanceOf(RdbFormatException.class)
                        .hasMessageContaining("duplicate things detected ('" + name + "')");
            }
        }
    }

    @Test
    @DisplayName("items that collide in the table but differ are distinct")
    void collisionsAreNotDuplicates() {
        // "Aa" and "BB" have the same Arrays.hashCode-style hash in Java's string hash family
        byte[][] items = new byte[40][];
        for (int i = 0; i < 20; i++) {
            items[2 * i] = ("Aa" + i).getBytes(StandardCharsets.US_ASCII);
            items[2 * i + 1] = ("BB" + i).getBytes(StandardCharsets.US_ASCII);
        }
        assertThatCode(() -> ValueReader.requireDistinct(items, 1, 0, "members")).doesNotThrowAnyException();
    }
}
