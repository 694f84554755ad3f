package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.ReplayCheck;
import dev.cellar.core.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Design invariant 2 for sets: the propagated stream rebuilds the same data set. */
class SetPropagationTest {

    private static String[] workload(Random r) {
        String key = "s" + r.nextInt(4);
        String other = "s" + r.nextInt(4);
        List<String> members = new ArrayList<>();
        int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 600 : 6);
        for (int i = 0; i < n; i++) {
            members.add(r.nextInt(3) == 0 ? "m" + r.nextInt(30) : Integer.toString(r.nextInt(800) - 100));
        }
        List<String> argv = new ArrayList<>();
        switch (r.nextInt(14)) {
            case 0, 1, 2 -> {
                argv.add("SADD");
                argv.add(key);
                argv.addAll(members);
            }
            case 3 -> {
                argv.add("SREM");
                argv.add(key);
                argv.addAll(members);
            }
            case 4 -> argv.addAll(List.of("SPOP", key));
            case 5 -> argv.addAll(List.of("SPOP", key, Integer.toString(r.nextInt(5))));
            case 6 -> argv.addAll(List.of("SPOP", key, Integer.toString(r.nextInt(700))));
            case 7 -> argv.addAll(List.of("SMOVE", key, other, members.get(0)));
            case 8 -> argv.addAll(List.of("SINTERSTORE", "d", key, other));
            case 9 -> argv.addAll(List.of("SUNIONSTORE", other, key, "d"));
            case 10 -> argv.addAll(List.of("SDIFFSTORE", "d", key, other));
            case 11 -> argv.addAll(List.of("SET", key, "str"));
            case 12 -> argv.addAll(List.of("DEL", key));
            default -> argv.addAll(List.of("SRANDMEMBER", key, "-3"));
        }
        return argv.toArray(String[]::new);
    }

    @Test
    void randomWorkloadReplaysToTheSameDataSet() {
        for (String limit : List.of("512", "16")) {
            try (TestEngine t = TestEngine.create("set-max-intset-entries", limit)) {
                Random r = new Random(7104);
                int multi = 0;
                for (int i = 0; i < 3000; i++) {
                    if (r.nextInt(50) == 0) {
                        t.exec("MULTI");
                        multi = 1 + r.nextInt(4);
                    }
                    t.exec(workload(r));
                    if (multi > 0 && --multi == 0) {
                        t.exec("EXEC");
                    }
                }
                if (multi > 0) {
                    t.exec("EXEC");
                }
                assertThat(t.propagatedText()).anyMatch(l -> l.startsWith("0 SREM"))
                        .anyMatch(l -> l.startsWith("0 DEL"))
                        .noneMatch(l -> l.startsWith("0 SPOP"))
                        .noneMatch(l -> l.startsWith("0 SRANDMEMBER"));
                ReplayCheck.assertReplayMatches(t);
            }
        }
    }

    @Test
    void spopFormsMatchRedis70() {
        try (TestEngine t = TestEngine.create()) {
            t.exec("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
            String one = ((Reply.Bulk) t.exec("SPOP", "s")).text();
            List<String> two = SetCommandsTest.texts(t.exec("SPOP", "s", "2"));
            List<String> rest = SetCommandsTest.texts(t.exec("SPOP", "s", "7"));
            assertThat(rest).hasSize(7);
            assertThat(t.propagatedText()).containsExactly(
                    "0 SADD s a b c d e f g h i j",
                    "0 SREM s " + one,
                    "0 MULTI", "0 SREM s " + two.get(0), "0 SREM s " + two.get(1), "0 EXEC",
                    "0 DEL s");
            ReplayCheck.assertReplayMatches(t);
        }
    }

    @Test
    void spopInsideMultiIsPropagatedInsideTheTransaction() {
        try (TestEngine t = TestEngine.create()) {
            t.exec("SADD", "s", "1", "2", "3");
            t.exec("MULTI");
            t.exec("SPOP", "s");
            t.exec("SADD", "s", "9");
            List<Reply> results = ((Reply.Array) t.exec("EXEC")).items();
            String popped = ((Reply.Bulk) results.get(0)).text();
            assertThat(t.propagatedText()).containsExactly(
                    "0 SADD s 1 2 3", "0 MULTI", "0 SREM s " + popped, "0 SADD s 9", "0 EXEC");
            ReplayCheck.assertReplayMatches(t);
        }
    }

    @Test
    void noOpsAreNotPropagated() {
        try (TestEngine t = TestEngine.create()) {
            t.exec("SADD", "s", "1");
            t.exec("SADD", "s", "1");
            t.exec("SREM", "s", "2");
            t.exec("SREM", "nokey", "2");
            t.exec("SMOVE", "s", "s", "1");
            t.exec("SMOVE", "s", "d", "2");
            t.exec("SPOP", "nokey");
            t.exec("SPOP", "s", "0");
            t.exec("SINTERSTORE", "d", "nokey");
            t.exec("SDIFFSTORE", "d", "s", "s");
            assertThat(t.propagatedText()).containsExactly("0 SADD s 1");
        }
    }

    @Test
    void storesAndSmoveArePropagatedAsSent() {
        try (TestEngine t = TestEngine.create()) {
            t.exec("SADD", "a", "1", "x");
            t.exec("SMOVE", "a", "b", "x");
            t.exec("SUNIONSTORE", "c", "a", "b");
            t.exec("SINTERSTORE", "c", "a", "b");
            assertThat(t.propagatedText()).containsExactly(
                    "0 SADD a 1 x", "0 SMOVE a b x", "0 SUNIONSTORE c a b", "0 SINTERSTORE c a b");
            assertThat(t.exec("EXISTS", "c")).isEqualTo(Reply.ZERO);
            ReplayCheck.assertReplayMatches(t);
        }
    }
}
