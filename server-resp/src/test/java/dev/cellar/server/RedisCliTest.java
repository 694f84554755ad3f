package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.RedisServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("redis-cli drives the server (skipped without redis-cli, failing under CI=true)")
class RedisCliTest {
    static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static String cli(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(RedisServerProcess.require("redis-cli"), "-p",
                Integer.toString(fixture.port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void commandsAndReplies() throws Exception {
        assertThat(cli(null, "PING")).isEqualTo("PONG\n");
        assertThat(cli(null, "SET", "cli", "hello world")).isEqualTo("OK\n");
        assertThat(cli(null, "GET", "cli")).isEqualTo("hello world\n");
        assertThat(cli(null, "--no-raw", "GET", "nosuch")).isEqualTo("(nil)\n");
        assertThat(cli(null, "NOSUCHCMD")).startsWith("ERR unknown command 'NOSUCHCMD'");
        assertThat(cli(null, "-3", "HELLO", "3")).contains("proto").contains("3");
    }

    @Test
    void pipedCommandsRunInOrder() throws Exception {
        assertThat(cli("SET p1 a\nGET p1\nDEL p1\nEXISTS p1\n")).isEqualTo("OK\na\n1\n0\n");
    }

    @Test
    void massInsertWithPipe() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("*3\r\n$3\r\nSET\r\n$").append(("m" + i).length()).append("\r\nm").append(i)
                    .append("\r\n$1\r\nx\r\n");
        }
        String out = cli(sb.toString(), "--pipe");
        assertThat(out).contains("errors: 0, replies: 1000");
        assertThat(cli(null, "EXISTS", "m0", "m999")).isEqualTo("2\n");
    }
}
