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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged fat jar as redis-server would be run (failsafe: after {@code package}). */
@DisplayName("java -jar cellar-server.jar")
class JarLaunchIT {
    @TempDir
    Path dir;

    private Process launch(Path log, String... args) throws IOException {
        Path jar = Path.of("target", "cellar-server.jar").toAbsolutePath();
        assertThat(jar).exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        // The working directory is the default dir: dump.rdb goes to the test's temporary folder.
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in the log:\n" + Files.readString(log));
    }

    @Test
    @DisplayName("starts from a config file plus options, logs version, port, pid and providers; SHUTDOWN exits 0")
    void startAndShutdown() throws Exception {
        int port = RedisServerProcess.freePort();
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "port 1\nsome-unknown-directive 1\nmaxclients 100\n");
        Path log = dir.resolve("out.log");
        Process p = launch(log, conf.toString(), "--port", Integer.toString(port));
        try {
            awaitLog(log, "Ready to accept connections");
            String text = Files.readString(log);
            assertThat(text).contains("Cellar version=0.1.0").contains("pid=" + p.pid())
                    .contains("port=" + port).contains("persistence providers: rdb,aof,hybrid")
                    .contains("some-unknown-directive").containsPattern("\\d+:M \\d\\d \\w{3} \\d{4} ");
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                assertThat(c.call("PING")).isEqualTo(new Reply.Simple("PONG"));
                assertThat(c.call("CONFIG", "GET", "maxclients"))
                        .isEqualTo(new Reply.Array(List.of(Reply.bulk("maxclients"), Reply.bulk("100"))));
                assertThat(c.call("SET", "kept", "across restarts")).isEqualTo(Reply.OK);
                c.send("SHUTDOWN".getBytes(StandardCharsets.US_ASCII));
            }
            awaitExit(p, log);
            assertThat(p.exitValue()).isZero();
            // Redis's default save points are on, so SHUTDOWN saved; a restart loads the snapshot.
            assertThat(dir.resolve("dump.rdb")).exists();
            Path log2 = dir.resolve("out2.log");
            Process again = launch(log2, "--port", Integer.toString(port));
            try {
                awaitLog(log2, "Ready to accept connections");
                try (RespClient c = new RespClient("127.0.0.1", port)) {
                    Reply value = null;
                    for (int i = 0; i < 100; i++) {
                        value = c.call("GET", "kept");
                        if (!(value instanceof Reply.Error e && e.message().startsWith("LOADING"))) {
                            break;
                        }
                        Thread.sleep(50);
                    }
                    assertThat(value).isEqualTo(Reply.bulk("across restarts"));
                    c.send("SHUTDOWN".getBytes(StandardCharsets.US_ASCII));
                }
                awaitExit(again, log2);
            } finally {
                again.destroyForcibly();
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Waits for the process to end; if it does not, fails with its log and a thread dump. */
    private static void awaitExit(Process p, Path log) throws Exception {
        if (p.waitFor(20, TimeUnit.SECONDS)) {
            return;
        }
        Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                Long.toString(p.pid())).redirectErrorStream(true).start();
        String dump = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        throw new AssertionError("the server did not exit; log:\n" + Files.readString(log) + "\nthreads:\n" + dump);
    }

    @Test
    @DisplayName("SIGTERM shuts down cleanly with exit status 0")
    void sigterm() throws Exception {
        int port = RedisServerProcess.freePort();
        Path log = dir.resolve("out.log");
        Process p = launch(log, "--port", Integer.toString(port));
        try {
            awaitLog(log, "Ready to accept connections");
            p.destroy(); // SIGTERM
            awaitExit(p, log);
            assertThat(p.exitValue()).isZero();
            assertThat(Files.readString(log)).contains("Received SIGTERM scheduling shutdown");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @DisplayName("an invalid value stops start-up with Redis's fatal report naming the line")
    void fatalConfig() throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "# comment\nport notaport\n");
        Path log = dir.resolve("out.log");
        Process p = launch(log, conf.toString());
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log)).contains("*** FATAL CONFIG FILE ERROR").contains("at line 2")
                .contains(">>> 'port notaport'");
    }
}
