package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.engine.Session;
import dev.cellar.core.testing.Differential.Cmd;
import dev.cellar.core.testing.ReplayCheck;
import dev.cellar.core.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Design invariant 2 for lists: what the family propagates rebuilds the same data set. */
class ListPropagationTest {
    final TestEngine t = TestEngine.create("list-max-listpack-size", "4");

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aRandomWorkloadWithBlockedClientsReplaysToTheSameDataSet() {
        Random r = new Random(99);
        ListDifferentialTest.Generator generator = new ListDifferentialTest.Generator();
        List<Session> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Session s = t.cellar.newSession();
            s.setReplyListener(reply -> {});
            clients.add(s);
        }
        String[] keys = {"l0", "l1", "l2", "l3", "s"};
        for (int i = 0; i < 5000; i++) {
            Session c = clients.get(r.nextInt(clients.size()));
            if (r.nextInt(10) == 0 && !c.blocked()) {
                String k = keys[r.nextInt(keys.length)];
                String k2 = keys[r.nextInt(keys.length)];
                String timeout = r.nextBoolean() ? "0" : Integer.toString(1 + r.nextInt(3));
                String[] cmd = switch (r.nextInt(5)) {
                    case 0 -> new String[] {"BLPOP", k, k2, timeout};
                    case 1 -> new String[] {"BRPOP", k, timeout};
                    case 2 -> new String[] {"BLMOVE", k, k2, "LEFT", "RIGHT", timeout};
                    case 3 -> new String[] {"BRPOPLPUSH", k, k2, timeout};
                    default -> new String[] {"BLMPOP", timeout, "2", k, k2, "RIGHT", "COUNT", "3"};
                };
                t.execOther(c, cmd);
            } else if (r.nextInt(50) == 0) {
                t.clock.advance(1000);
                t.cron();
            } else {
                Cmd cmd = generator.apply(r);
                t.exec(cmd.argv());
            }
        }
        assertThat(t.propagatedText()).anyMatch(l -> l.contains(" LMOVE ") && l.endsWith("left right"));
        assertThat(t.propagatedText()).noneMatch(l -> l.matches("\\d+ (BLPOP|BRPOP|BLMOVE|BRPOPLPUSH|BLMPOP|LMPOP) .*"));
        ReplayCheck.assertReplayMatches(t);
    }

    @Test
    void commandsThatChangeNothingAreNotPropagated() {
        t.exec("RPUSH", "l", "a", "b");
        t.exec("SET", "s", "v");
        t.propagated.clear();
        t.exec("LPUSHX", "none", "a");
        t.exec("RPUSHX", "none", "a");
        t.exec("LPOP", "l", "0");
        t.exec("LPOP", "none");
        t.exec("RPOP", "none", "2");
        t.exec("LTRIM", "l", "0", "-1");
        t.exec("LTRIM", "none", "0", "1");
        t.exec("LREM", "l", "0", "zz");
        t.exec("LINSERT", "l", "BEFORE", "zz", "x");
        t.exec("LINSERT", "none", "BEFORE", "a", "x");
        t.exec("LSET", "l", "5", "x");
        t.exec("LMOVE", "none", "l", "LEFT", "LEFT");
        t.exec("RPOPLPUSH", "none", "l");
        t.exec("LMPOP", "1", "none", "LEFT");
        t.exec("LPUSH", "s", "x");
        t.exec("MULTI");
        t.exec("BLPOP", "none", "0");
        t.exec("BLMOVE", "none", "l", "LEFT", "LEFT", "0");
        t.exec("EXEC");
        assertThat(t.propagatedText()).isEmpty();
    }

    @Test
    void changingCommandsPropagateAsSentOrInRedisForm() {
        t.exec("RPUSH", "l", "a", "b", "c", "d", "e");
        t.exec("LPOP", "l", "9");
        t.exec("RPUSH", "l", "a", "b", "c", "d", "e");
        t.exec("LTRIM", "l", "1", "-1");
        t.exec("LSET", "l", "0", "B");
        t.exec("LINSERT", "l", "AFTER", "B", "x");
        t.exec("LREM", "l", "-1", "x");
        t.exec("LMPOP", "2", "none", "l", "RIGHT", "COUNT", "2");
        t.exec("BLMPOP", "1", "1", "l", "LEFT");
        t.exec("BRPOP", "none", "l", "0");
        assertThat(t.propagatedText()).containsExactly(
                "0 RPUSH l a b c d e", "0 LPOP l 9", "0 RPUSH l a b c d e", "0 LTRIM l 1 -1", "0 LSET l 0 B",
                "0 LINSERT l AFTER B x", "0 LREM l -1 x", "0 RPOP l 2", "0 LPOP l 1", "0 RPOP l");
        assertThat(t.exec("EXISTS", "l")).isEqualTo(dev.cellar.api.Reply.ZERO);
        ReplayCheck.assertReplayMatches(t);
    }
}
