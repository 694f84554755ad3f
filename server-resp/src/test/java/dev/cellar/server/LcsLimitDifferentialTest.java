package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.RespClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LCS's table is bounded by proto-max-bulk-len (a server setting), as in redis-server. */
@DisplayName("LCS refuses a table larger than proto-max-bulk-len, as redis-server")
class LcsLimitDifferentialTest {
    @Test
    void tableBoundedByTheBulkLimit(@TempDir Path dir) throws Exception {
        try (SideBySide both = SideBySide.start(dir)) {
            RespClient r = both.redis;
            RespClient c = both.cellar;
            List<String> mismatches = new ArrayList<>();
            Differential.compareScript(List.of(
                    List.of("CONFIG", "SET", "proto-max-bulk-len", "1mb"),
                    List.of("SET", "a", "ab".repeat(300)),
                    List.of("SET", "b", "ba".repeat(300)),
                    List.of("LCS", "a", "b", "LEN"), // 601 x 601 cells of 4 bytes: over 1 MB
                    List.of("SET", "b", "ba".repeat(200)),
                    List.of("LCS", "a", "b", "LEN")), r, c, mismatches);
            assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
            assertThat(c.call("LCS", "a", "b", "LEN")).isEqualTo(dev.cellar.api.Reply.of(400));
        }
    }
}
