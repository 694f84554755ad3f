package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every container command's HELP beside a real redis-server: Cellar's is Redis's, word for word,
 * less the entries of subcommands Cellar does not have (LATENCY DOCTOR, PUBSUB SHARDNUMSUB, ...).
 */
@DisplayName("container commands' HELP against redis-server")
class HelpDifferentialTest {
    private static final List<String> CONTAINERS = List.of("CONFIG", "OBJECT", "MEMORY", "COMMAND", "SLOWLOG",
            "LATENCY", "PUBSUB", "CLIENT");

    /** HELP's lines grouped into entries: a line at the margin and the indented lines after it. */
    private static List<List<String>> entries(Reply help) {
        List<List<String>> out = new ArrayList<>();
        List<Reply> lines = ((Reply.Array) help).items();
        for (Reply line : lines.subList(1, lines.size())) {
            String text = line instanceof Reply.Simple simple ? simple.value() : ((Reply.Bulk) line).text();
            if (text.startsWith(" ") && !out.isEmpty()) {
                out.get(out.size() - 1).add(text);
            } else {
                out.add(new ArrayList<>(List.of(text)));
            }
        }
        return out;
    }

    private static String name(List<String> entry) {
        return entry.get(0).split(" ")[0];
    }

    @Test
    void helpIsRedisLessWhatCellarLacks(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            for (String container : CONTAINERS) {
                Reply theirs = r.call(container, "HELP");
                Reply mine = c.call(container, "HELP");
                assertThat(((Reply.Array) mine).items().get(0)).as(container).isEqualTo(((Reply.Array) theirs).items().get(0));
                List<List<String>> expected = entries(theirs);
                List<List<String>> actual = entries(mine);
                Set<String> names = new LinkedHashSet<>();
                actual.forEach(e -> names.add(name(e)));
                Set<String> redisNames = new LinkedHashSet<>();
                expected.forEach(e -> redisNames.add(name(e)));
                assertThat(redisNames).as(container + ": entries Redis has").containsAll(names);
                expected.removeIf(e -> !names.contains(name(e)));
                assertThat(actual).as(container).containsExactlyElementsOf(expected);
            }
        }
    }
}
