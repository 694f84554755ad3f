package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the packaged server logs while it loads, line for line against redis-server started on a
 * copy of the same files: the lines operators and their log monitors look for (the RDB header's
 * version, age and memory, "Done loading RDB", per-file AOF load times, the old-style AOF
 * migration, the incr file opened). Times and the RDB's age are compared as placeholders.
 */
@DisplayName("the loading log against redis-server")
class LoadLogDifferentialIT {
    /** Fixtures of Redis's own files, kept in the persistence modules' test resources. */
    private static final Path RDB_FIXTURES = Path.of("..", "persistence-rdb", "src", "test", "resources", "fixtures");
    private static final Path AOF_FIXTURES = Path.of("..", "persistence-hybrid", "src", "test", "resources", "redis");

    /** pid:role day month year time level, then the message. */
    private static final Pattern PREFIX = Pattern.compile("^\\d+:[A-Z] \\d+ \\w+ \\d+ [\\d:.]+ [.\\-*#] ");
    private static final Pattern LOADING = Pattern.compile("^(Loading RDB|RDB |Done loading RDB|rdbLoadObject|"
            + "DB loaded from|Reading |Successfully migrated|Opening AOF|Creating AOF)");

    @TempDir
    Path dir;

    record Case(String name, String file, String as, boolean appendonly) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("an RDB without AUX fields", "rdb:encodings.rdb", "dump.rdb", false),
                new Case("a Redis 7.0 RDB", "rdb:all-encodings.rdb", "dump.rdb", false),
                new Case("an RDB with empty keys", "rdb:corrupt_empty_keys.rdb", "dump.rdb", false),
                new Case("a multi-part AOF with an RDB base", "aof:appendonlydir-preamble", "appendonlydir", true),
                new Case("an old-style AOF with an RDB preamble", "aof:rdb-preamble.aof", "appendonly.aof", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("logs what Redis logs while loading")
    void loadingLines(Case c) throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        Path cellarDir = Files.createDirectories(dir.resolve("cellar"));
        place(c, redisDir);
        place(c, cellarDir);
        String[] aof = c.appendonly() ? new String[] {"--appendonly", "yes"} : new String[0];

        String redisLog;
        try (RedisServerProcess redis = RedisServerProcess.startIn(redisDir, aof)) {
            redis.shutdown();
            redisLog = redis.log();
        }
        String cellarLog = runCellar(cellarDir, aof);

        List<String> expected = loadingLines(redisLog);
        assertThat(expected).as("redis-server logged its loading (log:\n%s)", redisLog).isNotEmpty();
        assertThat(loadingLines(cellarLog)).as("Cellar's log:\n%s", cellarLog).isEqualTo(expected);
    }

    private static void place(Case c, Path target) throws IOException {
        String[] where = c.file().split(":", 2);
        Path source = (where[0].equals("rdb") ? RDB_FIXTURES : AOF_FIXTURES).resolve(where[1]);
        Path to = target.resolve(c.as());
        if (Files.isDirectory(source)) {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, to.resolve(f.getFileName().toString()));
                }
            }
        } else {
            Files.copy(source, to);
        }
    }

    /** Starts the packaged server in {@code dir}, waits for PONG, shuts it down; returns its log. */
    private static String runCellar(Path dir, String... options) throws Exception {
        Path jar = Path.of("target", "cellar-server.jar").toAbsolutePath();
        assertThat(jar).exists();
        int port = RedisServerProcess.freePort();
        Path log = dir.resolve("cellar.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--dir", dir.toString(), "--logfile", log.toString()));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean up = false;
            while (!up && System.nanoTime() < deadline && p.isAlive()) {
                try (RespClient c = new RespClient("127.0.0.1", port)) {
                    up = c.call("PING").equals(new Reply.Simple("PONG"));
                } catch (IOException e) {
                    // not listening yet
                }
                if (!up) {
                    Thread.sleep(20);
                }
            }
            assertThat(up).as("Cellar answered PONG; output:\n%s", Files.readString(dir.resolve("out.txt"))).isTrue();
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                c.send("SHUTDOWN".getBytes(StandardCharsets.US_ASCII), "NOSAVE".getBytes(StandardCharsets.US_ASCII));
                c.read();
            } catch (IOException expected) {
                // the server closes the connection as it exits
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("Cellar exited").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return Files.readString(log);
    }

    /** The loading lines of a Redis-style log, without their prefixes, times and ages. */
    static List<String> loadingLines(String log) {
        List<String> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher m = PREFIX.matcher(line);
            if (!m.lookingAt()) {
                continue;
            }
            String message = line.substring(m.end()).strip();
            if (LOADING.matcher(message).lookingAt()) {
                lines.add(message.replaceAll("\\d+\\.\\d{3} seconds", "T seconds")
                        .replaceAll("^RDB age \\d+ seconds", "RDB age N seconds"));
            }
        }
        return lines;
    }
}
