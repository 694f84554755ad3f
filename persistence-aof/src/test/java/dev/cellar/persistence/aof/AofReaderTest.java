package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffered reader against the byte-at-a-time {@link ReferenceAofReader}: the same items,
 * offsets, line counts and faults, for whole files, every truncation, byte flips, and buffers
 * small enough that commands cross their end.
 */
class AofReaderTest {
    @TempDir
    Path dir;

    /** What a reader made of some bytes: each item, then the fault (or "end") and the line count. */
    private static List<String> transcript(Object reader) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            while (true) {
                AofReader.Item item = reader instanceof AofReader r ? r.next() : ((ReferenceAofReader) reader).next();
                if (item == null) {
                    out.add("end");
                    break;
                }
                StringBuilder sb = new StringBuilder().append(item.start()).append('-').append(item.end()).append(' ');
                if (item.argv() == null) {
                    sb.append("# ").append(item.annotation());
                } else {
                    for (byte[] a : item.argv()) {
                        sb.append('[').append(new String(a, StandardCharsets.ISO_8859_1)).append(']');
                    }
                }
                out.add(sb.toString());
            }
        } catch (AofReader.FormatException e) {
            out.add("fault " + e.offset + " " + e.shortRead + " " + e.getMessage());
        }
        long lines = reader instanceof AofReader r ? r.lines() : ((ReferenceAofReader) reader).lines();
        long pos = reader instanceof AofReader r ? r.position() : ((ReferenceAofReader) reader).position();
        out.add("lines " + lines);
        if (out.get(out.size() - 2).equals("end")) {
            out.add("position " + pos); // after a fault the two may have read ahead differently
        }
        return out;
    }

    private static void assertSame(byte[] data, int bufferSize) throws IOException {
        List<String> expected = transcript(new ReferenceAofReader(new ByteArrayInputStream(data), 0));
        List<String> actual;
        try (AofReader r = new AofReader(new ByteArrayInputStream(data), 0, bufferSize)) {
            actual = transcript(r);
        }
        assertThat(actual).as("buffer %d, %d bytes", bufferSize, data.length).isEqualTo(expected);
    }

    private static void command(ByteArrayOutputStream out, byte[]... argv) {
        out.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(a);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static byte[] s(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A log of assorted commands: binary data with CR and LF inside, empty arguments, annotations, MULTI. */
    private static byte[] sample(Random rnd, int commands, int maxArg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command(out, s("SELECT"), s("0"));
        for (int i = 0; i < commands; i++) {
            switch (rnd.nextInt(6)) {
                case 0 -> out.writeBytes(s("#TS:" + (1700000000 + i) + "\r\n"));
                case 1 -> {
                    command(out, s("MULTI"));
                    command(out, s("INCR"), s("n"));
                    command(out, s("EXEC"));
                }
                default -> {
                    int argc = 1 + rnd.nextInt(5);
                    byte[][] argv = new byte[argc][];
                    for (int a = 0; a < argc; a++) {
                        byte[] arg = new byte[rnd.nextInt(maxArg + 1)];
                        rnd.nextBytes(arg);
                        if (arg.length > 1 && rnd.nextBoolean()) {
                            arg[rnd.nextInt(arg.length)] = '\r';
                            arg[rnd.nextInt(arg.length)] = '\n';
                        }
                        argv[a] = arg;
                    }
                    command(out, argv);
                }
            }
        }
        return out.toByteArray();
    }

    @Test
    @DisplayName("well-formed logs read the same with buffers of every size, commands crossing the buffer's end")
    void wellFormed() throws IOException {
        Random rnd = new Random(1);
        byte[] data = sample(rnd, 400, 40);
        for (int size : new int[] {1, 2, 3, 5, 8, 13, 16, 31, 64, 100, 257, 4096, 1 << 16}) {
            assertSame(data, size);
        }
    }

    @Test
    @DisplayName("an argument larger than the buffer is read by the careful path")
    void largerThanBuffer() throws IOException, AofReader.FormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] big = new byte[200_000];
        new Random(2).nextBytes(big);
        command(out, s("SET"), s("k"), big);
        command(out, s("SET"), s("k2"), s("v"));
        byte[] data = out.toByteArray();
        assertSame(data, 4096);
        assertSame(data, 1 << 16);
        try (AofReader r = new AofReader(new ByteArrayInputStream(data), 0, 4096)) {
            assertThat(r.next().argv()[2]).isEqualTo(big);
            assertThat(r.next().argv()[1]).isEqualTo(s("k2"));
            assertThat(r.next()).isNull();
        }
    }

    @Test
    @DisplayName("every truncation gives the same items, then the same short-read fault")
    void everyTruncation() throws IOException {
        byte[] data = sample(new Random(3), 30, 12);
        for (int cut = 0; cut <= data.length; cut++) {
            byte[] prefix = Arrays.copyOf(data, cut);
            assertSame(prefix, 7);
            assertSame(prefix, 1 << 16);
        }
    }

    @Test
    @DisplayName("a byte changed anywhere gives the same items, then the same fault at the same offset")
    void byteFlips() throws IOException {
        byte[] data = sample(new Random(4), 25, 10);
        byte[] replacements = s("*$\r\n0-+x# 9");
        for (int i = 0; i < data.length; i++) {
            for (byte r : replacements) {
                if (data[i] == r) {
                    continue;
                }
                byte[] changed = data.clone();
                changed[i] = r;
                assertSame(changed, 11);
                assertSame(changed, 1 << 16);
            }
        }
    }

    @Test
    @DisplayName("counts and lengths the fast path leaves to the careful one: signs, zeros, long and huge numbers")
    void unusualNumbers() throws IOException {
        String[] logs = {
            "*+1\r\n$4\r\nPING\r\n",
            "*01\r\n$04\r\nPING\r\n",
            "*1\r\n$-1\r\n",
            "*0\r\n",
            "*-3\r\n",
            "*1\r\n$0\r\n\r\n",
            "*1\r\n$1234567890\r\nab\r\n",
            "*1\r\n$999999999999999999999\r\n",
            "*9999999999\r\n$1\r\na\r\n",
            "*1\r\n$536870913\r\n",
            "*1\r\n$4\r\nPING\n",
            "*1\n",
            "*1\r\n$4\nPING\r\n",
            "*1\r\n$4\r\nPINGxy",
            "*1 \r\n$4\r\nPING\r\n",
            "#annotation without end",
            "#\r\n*1\r\n$4\r\nPING\r\n#x\n",
            "x",
            "*" + "1".repeat(200) + "\r\n",
        };
        for (String log : logs) {
            assertSame(s(log), 4);
            assertSame(s(log), 1 << 16);
        }
    }

    @Test
    @DisplayName("a file read from an offset reports offsets in the file")
    void fromOffset() throws IOException {
        byte[] data = sample(new Random(5), 50, 20);
        Path file = dir.resolve("a.aof");
        Files.write(file, data);
        int offset = 23; // after the SELECT 0 the sample starts with
        List<String> expected;
        try (ReferenceAofReader r = ReferenceAofReader.open(file, offset)) {
            expected = transcript(r);
        }
        try (AofReader r = AofReader.open(file, offset)) {
            assertThat(transcript(r)).isEqualTo(expected);
        }
        assertThat(expected.get(0)).startsWith("23-");
    }
}
