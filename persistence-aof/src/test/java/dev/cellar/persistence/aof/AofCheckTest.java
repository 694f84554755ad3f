package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.RedisServerProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AofCheckTest {
    @TempDir
    Path dir;

    private static final String SELECT0 = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n";
    private static final String TRUNCATED = SELECT0 + "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$2\r\nd";

    private record Run(int status, String out) {}

    private Run check(String stdin, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = new AofCheck(out, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), List.of()).run(args);
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.ISO_8859_1));
        return p;
    }

    @Test
    @DisplayName("a truncated legacy file is reported as redis-check-aof reports it")
    void truncatedReport() throws IOException {
        Path p = file("t.aof", TRUNCATED);
        Run r = check("", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).isEqualTo("Start checking Old-Style AOF\n"
                + "0x              4a: Expected to read 4 bytes, got 1 bytes\n"
                + "AOF analyzed: filename=" + p + ", size=75, ok_up_to=50, ok_up_to_line=19, diff=25\n"
                + "AOF " + p + " is not valid. Use the --fix option to try fixing it.\n");
    }

    @Test
    @DisplayName("--fix asks first; 'n' aborts, -y truncates to the last whole command")
    void fix() throws IOException {
        Path p = file("t.aof", TRUNCATED);
        Run no = check("n\n", "--fix", p.toString());
        assertThat(no.status).isEqualTo(1);
        assertThat(no.out).contains("This will shrink the AOF " + p + " from 75 bytes, with 25 bytes, to 50 bytes\n"
                + "Continue? [y/N]: Aborting...");
        assertThat(Files.size(p)).isEqualTo(75);
        Run yes = check("", "--fix", "-y", p.toString());
        assertThat(yes.status).isZero();
        assertThat(yes.out).contains("Successfully truncated AOF " + p);
        assertThat(Files.size(p)).isEqualTo(50);
        assertThat(check("", p.toString()).out).endsWith("AOF " + p + " is valid\n");
    }

    @Test
    @DisplayName("a format error and an unfinished MULTI are reported with the offset and what was expected")
    void formatErrors() throws IOException {
        Path bad = file("m.aof", SELECT0 + "*3\r\n$3\r\nSXT\r\n$1\r\na\r\n#1\r\nb\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\nd\r\n");
        assertThat(check("", bad.toString()).out).contains("0x              2b: Expected prefix '$', got: '#'\n",
                "size=77, ok_up_to=23, ok_up_to_line=11, diff=54");
        Path multi = file("u.aof", "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n");
        assertThat(check("", multi.toString()).out).contains("Reached EOF before reading EXEC for MULTI",
                "size=42, ok_up_to=0, ok_up_to_line=11, diff=42");
    }

    @ParameterizedTest
    @ValueSource(strings = {"t.aof", "m.aof", "u.aof", "ok.aof"})
    @DisplayName("legacy-file output equals the real redis-check-aof's")
    void sameAsRedis(String name) throws Exception {
        RedisServerProcess.require("redis-server");
        RedisServerProcess.require("redis-check-aof");
        String content = switch (name) {
            case "t.aof" -> TRUNCATED;
            case "m.aof" -> SELECT0 + "*3\r\n$3\r\nSXT\r\n$1\r\na\r\n#1\r\nb\r\n";
            case "u.aof" -> "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n";
            default -> "#TS:1\r\n" + SELECT0;
        };
        Path p = file(name, content);
        RedisServerProcess.Run real = RedisServerProcess.runTool("redis-check-aof", p.toString());
        Run r = check("", p.toString());
        assertThat(r.out).isEqualTo(real.output());
        assertThat(r.status).isEqualTo(real.status());
    }

    @Test
    @DisplayName("--truncate-to-timestamp cuts at the first later #TS annotation, or says it cut nothing")
    void truncateToTimestamp() throws IOException {
        String ping = "*1\r\n$4\r\nPING\r\n";
        Path p = file("ts.aof", "#TS:100\r\n" + ping + "#TS:200\r\n" + ping);
        Run r = check("", "--truncate-to-timestamp", "300", p.toString());
        assertThat(r.out).contains("Truncate nothing in AOF " + p + " to timestamp 300");
        r = check("", "--truncate-to-timestamp", "150", p.toString());
        assertThat(r.status).isZero();
        assertThat(r.out).isEqualTo("Start checking Old-Style AOF\nSuccessfully truncated AOF " + p + " to timestamp 150\n");
        assertThat(Files.readString(p)).isEqualTo("#TS:100\r\n" + ping);
    }

    @Test
    @DisplayName("a multi-part AOF is checked file by file; only its last file may be fixed")
    void multiPart() throws IOException {
        Path d = Files.createDirectories(dir.resolve("appendonlydir"));
        Path manifest = file("appendonlydir/appendonly.aof.manifest",
                "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        file("appendonlydir/appendonly.aof.1.base.aof", SELECT0);
        file("appendonlydir/appendonly.aof.1.incr.aof", TRUNCATED);
        Run r = check("", manifest.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).startsWith("Start checking Multi Part AOF\nStart to check BASE AOF (RESP format).\n")
                .contains("BASE AOF appendonly.aof.1.base.aof is valid\nStart to check INCR files.\n")
                .contains("INCR AOF appendonly.aof.1.incr.aof is not valid. Use the --fix option to try fixing it.");
        r = check("", "--fix", "--yes", manifest.toString());
        assertThat(r.status).isZero();
        assertThat(r.out).contains("Successfully truncated AOF appendonly.aof.1.incr.aof")
                .endsWith("All AOF files and manifest are valid\n");
        file("appendonlydir/appendonly.aof.1.base.aof", TRUNCATED);
        r = check("", "--fix", "-y", manifest.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).contains("Failed to truncate AOF appendonly.aof.1.base.aof because it is not the last file");
        assertThat(d.resolve("appendonly.aof.1.base.aof")).hasSize(75);
    }

    @Test
    @DisplayName("an RDB-preamble AOF is reported as needing the RDB checker when none is installed")
    void preamble() throws IOException {
        Path p = dir.resolve("rdb-preamble.aof");
        try (InputStream in = getClass().getResourceAsStream("/redis/rdb-preamble.aof")) {
            Files.copy(in, p);
        }
        Run r = check("", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).contains("The AOF appears to start with an RDB preamble.")
                .contains("can't be checked: it needs the RDB checker of the hybrid persistence module");
        AofEngine e = new AofEngine(new TestContext(dir), AofIo.FILES, null, List.of());
        Files.move(p, dir.resolve("appendonly.aof"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.load(new Model(16)))
                .hasMessageContaining("starts with an RDB preamble");
    }

    @Test
    @DisplayName("usage is printed for bad arguments")
    void usage() {
        assertThat(check("").out).startsWith("Usage: check-aof [--fix|--truncate-to-timestamp $timestamp]");
        assertThat(check("", "--fix", "--truncate-to-timestamp", "1", "x").status).isEqualTo(1);
    }
}
