package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Settings;
import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The persistence settings a Redis operator scripts against, compared with a real redis-server:
 * how {@code save} is read (CONFIG SET, the command line and config lines, which accumulate) and
 * shown (CONFIG GET), the protected configs ({@code dir}, {@code dbfilename}) that CONFIG SET
 * refuses unless {@code enable-protected-configs} allows, and the other snapshot settings
 * ({@code rdb-save-incremental-fsync}, {@code rdb-key-save-delay}, {@code no-appendfsync-on-rewrite}).
 */
@DisplayName("save and protected configs against redis-server")
class PersistenceConfigDifferentialTest {
    private static final List<List<String>> CONFIG_COMMANDS = List.of(
            List.of("CONFIG", "SET", "save", "3600 01"),
            List.of("CONFIG", "GET", "save"),
            List.of("CONFIG", "SET", "save", "+5 1"),
            List.of("CONFIG", "GET", "save"),
            List.of("CONFIG", "SET", "save", "900  1   300 10"),
            List.of("CONFIG", "SET", "save", " 900 1"),
            List.of("CONFIG", "SET", "save", "900 1 "),
            List.of("CONFIG", "SET", "save", "900 1  5 6"),
            List.of("CONFIG", "SET", "save", "\"\""),
            List.of("CONFIG", "SET", "save", "5 -1"),
            List.of("CONFIG", "SET", "save", "5 1x"),
            List.of("CONFIG", "SET", "save", "0 5"),
            List.of("CONFIG", "SET", "save", "5 +"),
            List.of("CONFIG", "GET", "save"),
            List.of("CONFIG", "SET", "save", "10 1 5 2"),
            List.of("CONFIG", "GET", "save"),
            List.of("CONFIG", "SET", "save", "9999999999999999999999 1"),
            List.of("CONFIG", "GET", "save"),
            List.of("CONFIG", "SET", "save", "5 4294967297"),
            List.of("CONFIG", "GET", "save"),
            List.of("CONFIG", "SET", "save", ""),
            List.of("CONFIG", "GET", "save"),
            List.of("CONFIG", "SET", "dir", "/tmp"),
            List.of("CONFIG", "SET", "dbfilename", "other.rdb"),
            List.of("CONFIG", "SET", "maxmemory", "10mb", "dbfilename", "other.rdb"),
            List.of("CONFIG", "SET", "dbfilename", "other.rdb", "maxmemory", "10mb"),
            List.of("CONFIG", "GET", "maxmemory"),
            List.of("CONFIG", "GET", "dbfilename"),
            List.of("CONFIG", "SET", "enable-protected-configs", "yes"),
            List.of("CONFIG", "SET", "rdb-save-incremental-fsync", "no"),
            List.of("CONFIG", "GET", "rdb-save-incremental-fsync"),
            List.of("CONFIG", "SET", "rdb-save-incremental-fsync", "maybe"),
            List.of("CONFIG", "SET", "rdb-key-save-delay", "100"),
            List.of("CONFIG", "GET", "rdb-key-save-delay"),
            List.of("CONFIG", "SET", "rdb-key-save-delay", "x"),
            List.of("CONFIG", "SET", "rdb-key-save-delay", "0"),
            List.of("CONFIG", "SET", "no-appendfsync-on-rewrite", "yes"),
            List.of("CONFIG", "GET", "no-appendfsync-on-rewrite"));

    @Test
    @DisplayName("CONFIG SET and GET of save, dir and dbfilename reply as Redis's")
    void configSetAndGet() throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start();
                ServerFixture cellar = ServerFixture.start();
                RespClient expectedSide = redis.client();
                RespClient actualSide = cellar.client()) {
            Differential.compareScript(CONFIG_COMMANDS, expectedSide, actualSide, mismatches);
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    @DisplayName("enable-protected-configs yes and local let a loopback client set dir and dbfilename")
    void protectedConfigsAllowed() throws Exception {
        for (String mode : List.of("yes", "local")) {
            try (RedisServerProcess redis = RedisServerProcess.start("--enable-protected-configs", mode);
                    ServerFixture cellar = ServerFixture.start("enable-protected-configs", mode);
                    RespClient r = redis.client();
                    RespClient c = cellar.client()) {
                for (RespClient side : List.of(r, c)) {
                    assertThat(side.call("CONFIG", "SET", "dbfilename", "other.rdb")).as(mode).isEqualTo(Reply.OK);
                    assertThat(side.call("CONFIG", "GET", "dbfilename"))
                            .isEqualTo(new Reply.Array(List.of(Reply.bulk("dbfilename"), Reply.bulk("other.rdb"))));
                }
                String redisDir = ((Reply.Bulk) ((Reply.Array) r.call("CONFIG", "GET", "dir")).items().get(1)).text();
                String cellarDir = ((Reply.Bulk) ((Reply.Array) c.call("CONFIG", "GET", "dir")).items().get(1)).text();
                assertThat(r.call("CONFIG", "SET", "dir", redisDir)).isEqualTo(Reply.OK);
                assertThat(c.call("CONFIG", "SET", "dir", cellarDir)).isEqualTo(Reply.OK);
            }
        }
    }

    @Test
    @DisplayName("save options on the command line add up as Redis's do: the first replaces the defaults, \"\" clears")
    void saveOptionsAccumulate() throws Exception {
        List<List<String>> cases = List.of(
                List.of("--save", "900", "1", "--save", "300", "10"),
                List.of("--save", "900", "1", "--save", "", "--save", "60", "10000"),
                List.of("--save", "900", "1", "--save", ""),
                List.of("--save", "3600", "1", "300", "100", "--save", "60", "10000"),
                List.of("--maxmemory", "1mb"));
        for (List<String> options : cases) {
            String expected;
            try (RedisServerProcess redis = RedisServerProcess.start(options.toArray(new String[0]));
                    RespClient r = redis.client()) {
                expected = ((Reply.Bulk) ((Reply.Array) r.call("CONFIG", "GET", "save")).items().get(1)).text();
            }
            // RedisServerProcess puts --save "" before the options; give Cellar the same line.
            List<String> all = new ArrayList<>(List.of("--save", ""));
            all.addAll(options);
            Settings settings = ServerSettings.create();
            ConfigFile.apply(ConfigFile.fromOptions(all), settings);
            assertThat(settings.get("save")).as("%s", options).isEqualTo(expected);
        }
    }
}
