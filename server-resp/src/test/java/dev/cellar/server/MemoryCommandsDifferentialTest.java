package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MEMORY STATS/DOCTOR/PURGE/HELP and WAIT beside a real redis-server. */
@DisplayName("MEMORY subcommands and WAIT against redis-server")
class MemoryCommandsDifferentialTest {

    /** The names of a flat map reply, nested maps as {@code name.inner}. */
    private static List<String> names(Reply reply) {
        List<String> out = new ArrayList<>();
        List<Reply> items = ((Reply.Array) reply).items();
        for (int i = 0; i < items.size(); i += 2) {
            String name = ((Reply.Bulk) items.get(i)).text();
            if (items.get(i + 1) instanceof Reply.Array nested) {
                for (String inner : names(nested)) {
                    out.add(name + "/" + inner);
                }
            } else {
                out.add(name);
            }
        }
        return out;
    }

    private static long number(Reply map, String name) {
        List<Reply> items = ((Reply.Array) map).items();
        for (int i = 0; i < items.size(); i += 2) {
            if (((Reply.Bulk) items.get(i)).text().equals(name)) {
                Reply v = items.get(i + 1);
                return v instanceof Reply.Int n ? n.value() : (long) Double.parseDouble(((Reply.Bulk) v).text());
            }
        }
        throw new AssertionError("no " + name + " in " + map);
    }

    @Test
    @DisplayName("MEMORY STATS has Redis's fields in its order; DOCTOR, PURGE and HELP answer as Redis's")
    void memory(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            // an empty instance: the same words from both
            assertThat(c.call("MEMORY", "DOCTOR")).isEqualTo(r.call("MEMORY", "DOCTOR"));
            assertThat(c.call("MEMORY", "HELP")).isEqualTo(r.call("MEMORY", "HELP"));
            assertThat(c.call("MEMORY", "PURGE")).isEqualTo(r.call("MEMORY", "PURGE")).isEqualTo(Reply.OK);
            for (RespClient client : List.of(r, c)) {
                assertThat(client.call("SET", "a", "1")).isEqualTo(Reply.OK);
                assertThat(client.call("SET", "b", "2", "EX", "100")).isEqualTo(Reply.OK);
                assertThat(client.call("SELECT", "3")).isEqualTo(Reply.OK);
                assertThat(client.call("SET", "c", "3")).isEqualTo(Reply.OK);
            }
            Reply expected = r.call("MEMORY", "STATS");
            Reply actual = c.call("MEMORY", "STATS");
            assertThat(names(actual)).containsExactlyElementsOf(names(expected));
            assertThat(number(actual, "keys.count")).isEqualTo(3);
            assertThat(number(actual, "total.allocated"))
                    .isEqualTo(number(actual, "overhead.total") + number(actual, "dataset.bytes"));
            assertThat(number(actual, "peak.allocated")).isGreaterThanOrEqualTo(number(actual, "total.allocated"));
        }
    }

    @Test
    @DisplayName("MEMORY DOCTOR reports a peak over 150% of the memory used now, with Redis's words")
    void doctorReportsAPeak(@TempDir Path dir) throws Exception {
        try (ServerFixture cellar = ServerFixture.start("dir", dir.toString(), "enable-debug-command", "yes");
                RespClient c = cellar.client()) {
            assertThat(c.call("DEBUG", "POPULATE", "100000")).isEqualTo(Reply.OK);
            assertThat(((Reply.Bulk) c.call("MEMORY", "DOCTOR")).text())
                    .isEqualTo("Hi Sam, I can't find any memory issue in your instance. I can only account for what "
                            + "occurs on this base.\n");
            assertThat(c.call("DEBUG", "POPULATE", "300000", "big")).isEqualTo(Reply.OK);
            assertThat(c.call("INFO", "memory")).isInstanceOf(Reply.Bulk.class); // the peak is sampled
            List<String> del = new ArrayList<>(List.of("DEL"));
            for (int i = 0; i < 300000; i++) {
                del.add("big:" + i);
            }
            assertThat(c.call(del.toArray(new String[0]))).isEqualTo(Reply.of(300000));
            assertThat(((Reply.Bulk) c.call("MEMORY", "DOCTOR")).text())
                    .startsWith("Sam, I detected a few issues in this Redis instance memory implants:\n\n * Peak memory:")
                    .endsWith("I'm here to keep you safe, Sam. I want to help you.\n");
        }
    }

    @Test
    @DisplayName("WAIT on a primary without replicas: 0 at once, after the timeout, or in MULTI; Redis's errors")
    void waitForReplicas(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            for (List<String> command : List.of(List.of("WAIT", "0", "0"), List.of("WAIT", "-1", "10"),
                    List.of("WAIT", "x", "10"), List.of("WAIT", "1", "abc"), List.of("WAIT", "1", "-1"),
                    List.of("WAIT", "1", "1.5"), List.of("WAIT", "1"))) {
                String[] argv = command.toArray(new String[0]);
                assertThat(c.call(argv)).as(command.toString()).isEqualTo(r.call(argv));
            }
            for (RespClient client : List.of(r, c)) {
                long start = System.nanoTime();
                assertThat(client.call("WAIT", "1", "300")).isEqualTo(Reply.ZERO);
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
                assertThat(client.call("MULTI")).isEqualTo(Reply.OK);
                assertThat(client.call("WAIT", "1", "0")).isEqualTo(new Reply.Simple("QUEUED"));
                assertThat(client.call("EXEC")).isEqualTo(Reply.array(List.of(Reply.ZERO)));
            }
        }
    }
}
