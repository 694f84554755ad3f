package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.Model.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt or truncated file is refused with an RdbFormatException naming the offset, never anything else. */
class CorruptionTest {
    /** A small file with one key of every type and encoding. */
    static byte[] smallFile(boolean checksum) throws IOException {
        Model.Snapshot s = new Model.Snapshot(16);
        s.put(0, "s", RdbValues.string(b("hello")), -1);
        s.put(0, "i", RdbValues.string(b("-123456")), 4102444800000L);
        s.put(0, "z", RdbValues.string(b("z".repeat(60))), -1);
        s.put(0, "l", RdbValues.list(Model.bytesList("a", "1", "bb", "-70000")), -1);
        s.put(0, "h", RdbValues.hash("listpack", Model.bytesList("f", "v", "n", "5")), -1);
        s.put(0, "H", RdbValues.hash("hashtable", Model.bytesList("f", "v")), -1);
        s.put(2, "is", RdbValues.set("intset", Model.bytesList("1", "2", "300")), -1);
        s.put(2, "ss", RdbValues.set("hashtable", Model.bytesList("x", "y")), -1);
        s.put(2, "zl", RdbValues.zset("listpack", Model.bytesList("a", "b"), new double[] {1.5, Double.POSITIVE_INFINITY}), -1);
        s.put(2, "zs", RdbValues.zset("skiplist", Model.bytesList("a", "b"), new double[] {-1, 2.25}), -1);
        RdbOutput out = RdbOutput.buffer();
        new RdbWriter(RdbWriter.Options.defaults().withChecksum(checksum)).write(s, out);
        return out.toByteArray();
    }

    private static RdbReader.Result read(byte[] b) throws IOException {
        return new RdbReader(RdbReader.Options.defaults()).read(RdbInput.of(b), new Model.Sink(), b.length);
    }

    @Test
    @DisplayName("truncating a small RDB at every byte gives only RdbFormatException, from arrays and streams")
    void byteAtATimeTruncation() throws IOException {
        byte[] full = smallFile(true);
        assertThat(read(full).keysLoaded()).isEqualTo(10);
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThatThrownBy(() -> read(cut)).as("cut at " + n).isInstanceOf(RdbFormatException.class)
                    .hasMessageContaining("at offset");
            assertThatThrownBy(() -> new RdbReader(RdbReader.Options.defaults())
                    .read(RdbInput.of(new ByteArrayInputStream(cut)), new Model.Sink(), cut.length))
                    .as("stream cut at " + n).isInstanceOf(RdbFormatException.class);
        }
    }

    @Test
    @DisplayName("flipping any bit is caught (checksum or structure); with checksums off it never crashes")
    void bitFlips() throws IOException {
        byte[] full = smallFile(true);
        byte[] unchecked = smallFile(false);
        for (int i = 0; i < full.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] f = full.clone();
                f[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> read(f)).as("flip at " + i + " bit " + bit).isInstanceOf(RdbFormatException.class);
                byte[] u = unchecked.clone();
                u[i] ^= (byte) (1 << bit);
                try {
                    read(u);
                } catch (RdbFormatException expected) {
                    // fine: a clean refusal
                }
            }
        }
    }

    @Test
    @DisplayName("a bit-flipped value in a file is refused naming the checksum and its offset")
    void checksumMismatch() throws IOException {
        byte[] f = smallFile(true);
        int at = indexOf(f, b("hello"));
        f[at] = 'j';
        assertThatThrownBy(() -> read(f)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("wrong RDB checksum").hasMessageContaining("at offset " + (f.length - 8));
    }

    @Test
    @DisplayName("a file cut short is refused naming the offset where data ran out")
    void truncatedFile(@TempDir Path dir) throws IOException {
        byte[] f = smallFile(true);
        Path p = dir.resolve("cut.rdb");
        Files.write(p, Arrays.copyOf(f, f.length - 20));
        assertThatThrownBy(() -> new RdbReader(RdbReader.Options.defaults()).read(p, new Model.Sink()))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("unexpected end of data");
    }

    @Test
    @DisplayName("unknown versions, signatures and types, streams and modules are refused by name")
    void refusals() throws IOException {
        assertThatThrownBy(() -> read(b("REDIS0013"))).hasMessageContaining("can't handle RDB format version 13");
        assertThatThrownBy(() -> read(b("RUBIS0010"))).hasMessageContaining("wrong signature");
        assertThatThrownBy(() -> read(concat(b("REDIS0010"), new byte[] {15, 1, 'k'})))
                .hasMessageContaining("value type 15 (stream) is not supported").hasMessageContaining("at offset 9");
        assertThatThrownBy(() -> read(concat(b("REDIS0010"), new byte[] {7, 1, 'k'})))
                .hasMessageContaining("value type 7 (module-value)");
        assertThatThrownBy(() -> read(concat(b("REDIS0010"), new byte[] {(byte) 247, 1})))
                .hasMessageContaining("module auxiliary data");
        assertThatThrownBy(() -> read(concat(b("REDIS0010"), new byte[] {30})))
                .hasMessageContaining("unknown opcode or value type 30");
        assertThatThrownBy(() -> read(concat(b("REDIS0010"), new byte[] {(byte) 254, 16})))
                .hasMessageContaining("SELECTDB 16");
    }

    @Test
    @DisplayName("a version 11/12 file with a set listpack, slot info and a function loads")
    void newerVersions() throws IOException {
        byte[] lp = new Listpack.Builder().add(b("a")).add(b("b")).build();
        byte[] body = concat(b("REDIS0012"), new byte[] {(byte) 244, 1, 2, 3, (byte) 245, 3, 'f', 'o', 'o',
                (byte) 254, 0, 20, 1, 'k', (byte) lp.length}, lp, new byte[] {(byte) 255});
        byte[] f = concat(body, new byte[8]);
        Bytes.putLongLE(f, body.length, Crc64.of(body));
        Model.Sink sink = new Model.Sink();
        new RdbReader(RdbReader.Options.defaults()).read(RdbInput.of(f), sink, f.length);
        assertThat(Model.canon(sink.db(0).get("k").value()).value()).isEqualTo(new java.util.TreeSet<>(java.util.Set.of("a", "b")));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
