package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With appendfsync always, a write is in the log file before its reply reaches the client. */
class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void anAcknowledgedWriteIsAlreadyInTheAppendOnlyFile() throws Exception {
        try (ServerFixture fixture = ServerFixture.start("dir", dir.toString(), "cellar-persistence", "aof",
                "appendfsync", "always");
                RespClient c = fixture.client()) {
            for (int i = 0; i < 20; i++) {
                assertThat(c.call("SET", "acked:" + i, "value-" + i)).isEqualTo(Reply.OK);
                assertThat(incrLogText(dir)).as("write %d is in the log when acknowledged", i).contains("acked:" + i);
            }
        }
    }

    /** The text of every incremental file of the AOF in {@code dir}. */
    static String incrLogText(Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".incr.aof")).toList()) {
                sb.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }
}
