package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a loaded sorted set is visited in score-then-member order whatever order the file had")
class ZSetOrderTest {

    @Test
    @DisplayName("ascending, descending (as Redis writes a skiplist), shuffled, with ties")
    void anyOrderComesOutSorted() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add((i / 3) + ":m" + (char) ('a' + i % 3)); // three members share each score
        }
        List<String> descending = new ArrayList<>(expected);
        Collections.reverse(descending);
        List<String> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(3));
        for (List<String> order : List.of(expected, descending, shuffled)) {
            assertThat(visit(order)).isEqualTo(expected);
        }
    }

    /** Builds the value from "score:member" strings in the given order and lists what it visits. */
    private static List<String> visit(List<String> order) {
        List<byte[]> members = new ArrayList<>();
        double[] scores = new double[order.size()];
        for (int i = 0; i < order.size(); i++) {
            String[] sm = order.get(i).split(":");
            scores[i] = Double.parseDouble(sm[0]);
            members.add(sm[1].getBytes(StandardCharsets.US_ASCII));
        }
        List<String> out = new ArrayList<>();
        RdbValues.zset("skiplist", members, scores).forEach((m, s) -> out.add((long) s + ":" + new String(m, StandardCharsets.US_ASCII)));
        return out;
    }
}
