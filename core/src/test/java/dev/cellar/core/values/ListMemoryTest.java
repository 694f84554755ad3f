package dev.cellar.core.values;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.HeapMeasure;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** memoryUsage() against the heap the JVM really retains, within 15%. */
class ListMemoryTest {

    @ParameterizedTest(name = "{0} lists of {1} elements, kind {2}, fill {3}")
    @CsvSource({
        "20000, 3, short, -2",
        "20000, 1, int, -2",
        "2000, 60, short, -2",
        "20, 20000, short, -2",
        "20, 20000, int, -5",
        "20, 20000, mixed, 5",
        "200, 300, long, -1",
        "10, 40000, short, popped"
    })
    void estimateMatchesTheHeap(int lists, int elements, String kind, String fill) {
        IntFunction<byte[]> element = switch (kind) {
            case "int" -> i -> Integer.toString(i * 7919).getBytes(StandardCharsets.US_ASCII);
            case "long" -> i -> ("value-" + i + "-").repeat(30).getBytes(StandardCharsets.US_ASCII);
            case "mixed" -> i -> (i % 2 == 0 ? Integer.toString(i) : "member:" + i).getBytes(StandardCharsets.US_ASCII);
            default -> i -> ("member:" + i).getBytes(StandardCharsets.US_ASCII);
        };
        boolean popped = fill.equals("popped");
        int f = popped ? -2 : Integer.parseInt(fill);
        ListValue[] holder = new ListValue[lists];
        long before = HeapMeasure.usedAfterGc();
        long estimate = 0;
        for (int l = 0; l < lists; l++) {
            ListValue v = new ListValue(f);
            for (int i = 0; i < elements; i++) {
                if (i % 2 == 0) {
                    v.pushTail(element.apply(i));
                } else {
                    v.pushHead(element.apply(i));
                }
            }
            if (popped) {
                // pops from both ends and a trim leave partly used nodes behind
                for (int i = 0; i < elements / 3; i++) {
                    v.popHead();
                    v.popTail();
                }
                v.remove(0, "member:5".getBytes(StandardCharsets.US_ASCII));
            }
            holder[l] = v;
        }
        long after = HeapMeasure.usedAfterGc();
        for (ListValue v : holder) {
            estimate += v.memoryUsage();
        }
        long measured = after - before;
        assertThat((double) estimate).as("estimate %d vs measured %d", estimate, measured)
                .isBetween(measured * 0.85, measured * 1.15);
        assertThat(holder[lists - 1].size()).isPositive();
    }
}
