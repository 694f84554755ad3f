package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DEBUG RELOAD's options against a real redis-server: NOSAVE loads the file as it is (writes since
 * the last save are gone), NOFLUSH MERGE loads over the keys in memory (the file's value wins), an
 * unknown option is refused before anything happens. (NOFLUSH without MERGE on a key in both stops
 * redis-server; Cellar merges, so the script does not go there.)
 */
@DisplayName("DEBUG RELOAD options")
class DebugReloadOptionsTest {
    @TempDir
    Path dir;

    private static final List<List<String>> SCRIPT = List.of(
            List.of("SET", "a", "1"),
            List.of("SAVE"),
            List.of("SET", "a", "2"),
            List.of("SET", "b", "2"),
            List.of("DEBUG", "RELOAD", "NOSAVE"),
            List.of("MGET", "a", "b"),
            List.of("DBSIZE"),
            List.of("SET", "a", "3"),
            List.of("SET", "z", "9"),
            List.of("DEBUG", "RELOAD", "NOFLUSH", "MERGE", "NOSAVE"),
            List.of("MGET", "a", "z"),
            List.of("DEBUG", "RELOAD", "MERGE"),
            List.of("MGET", "a", "z"),
            List.of("SET", "c", "1"),
            List.of("DEBUG", "RELOAD", "nosave", "sometimes"),
            List.of("DEBUG", "RELOAD", "bogus"),
            List.of("GET", "c"),
            List.of("DEBUG", "RELOAD"),
            List.of("MGET", "a", "c", "z"),
            List.of("DBSIZE"));

    @Test
    @DisplayName("NOSAVE, NOFLUSH MERGE, MERGE and an unknown option reply and leave the data set as Redis's")
    void sameAsRedis() throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start("--enable-debug-command", "yes", "--save", "");
                ServerFixture cellar = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "rdb",
                        "enable-debug-command", "yes", "save", "");
                RespClient expectedSide = redis.client();
                RespClient actualSide = cellar.client()) {
            Differential.compareScript(SCRIPT, expectedSide, actualSide, mismatches);
        }
        assertThat(mismatches).isEmpty();
    }
}
