package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SHUTDOWN's arguments that must not shut anything down, against a real redis-server: an unknown
 * flag, SAVE with NOSAVE, ABORT with another flag are syntax errors, ABORT alone has nothing to
 * abort; both servers answer PING afterwards.
 */
@DisplayName("SHUTDOWN argument errors")
class ShutdownArgsDifferentialTest {
    private static final List<List<String>> SCRIPT = List.of(
            List.of("SHUTDOWN", "SAVE", "NOSAVE"),
            List.of("SHUTDOWN", "nosave", "save"),
            List.of("SHUTDOWN", "NOW", "ABORT"),
            List.of("SHUTDOWN", "ABORT", "FORCE"),
            List.of("SHUTDOWN", "FORCE", "foo"),
            List.of("SHUTDOWN", "ABORT"),
            List.of("SHUTDOWN", "ABORT", "ABORT"),
            List.of("PING"));

    @Test
    @DisplayName("bad flag combinations reply as Redis's and leave the server running")
    void sameAsRedis() throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start();
                ServerFixture cellar = ServerFixture.start();
                RespClient expectedSide = redis.client();
                RespClient actualSide = cellar.client()) {
            Differential.compareScript(SCRIPT, expectedSide, actualSide, mismatches);
        }
        assertThat(mismatches).isEmpty();
    }
}
