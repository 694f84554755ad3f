package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.Model.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BlobCodecsTest {
    static List<String> strings(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        l.forEach(b -> out.add(s(b)));
        return out;
    }

    @Nested
    @DisplayName("listpack")
    class Listpacks {
        final List<String> values = List.of("0", "127", "128", "-1", "-4096", "4095", "4096", "-32768", "32767", "40000",
                "-8388608", "8388607", "8388608", "2147483647", "-2147483648", "2147483648", "9223372036854775807",
                "-9223372036854775808", "", "a", "007", "-0", "+1", "x".repeat(63), "y".repeat(64), "z".repeat(4095),
                "w".repeat(4096), "v".repeat(20000));

        byte[] build() {
            Listpack.Builder b = new Listpack.Builder();
            values.forEach(v -> b.add(Model.b(v)));
            return b.build();
        }

        @Test
        @DisplayName("every integer width and string length class round-trips")
        void roundTrip() throws Exception {
            assertThat(strings(Listpack.decode(build()))).isEqualTo(values);
        }

        @Test
        @DisplayName("decoded into an array: the same entries, with a counted or an uncounted header")
        void array() throws Exception {
            byte[] lp = build();
            assertThat(strings(Arrays.asList(Listpack.decodeArray(lp)))).isEqualTo(values);
            byte[] uncounted = lp.clone();
            uncounted[4] = (byte) 0xff;
            uncounted[5] = (byte) 0xff;
            assertThat(strings(Arrays.asList(Listpack.decodeArray(uncounted)))).isEqualTo(values);
            for (int wrong : new int[] {values.size() - 1, values.size() + 1}) {
                byte[] miscounted = lp.clone();
                miscounted[4] = (byte) wrong;
                assertThatThrownBy(() -> Listpack.decodeArray(miscounted)).isInstanceOf(BlobException.class)
                        .hasMessageContaining("counts " + wrong + " entries (found: " + values.size() + ")");
            }
        }

        @Test
        @DisplayName("integers take Redis's encodings (7-bit, 13-bit, 16/24/32/64-bit)")
        void encodings() {
            assertThat(new Listpack.Builder().add(Model.b("5")).build())
                    .containsExactly(9, 0, 0, 0, 1, 0, 5, 1, 0xff);
            assertThat(Arrays.copyOfRange(new Listpack.Builder().add(Model.b("-1")).build(), 6, 9))
                    .containsExactly(0xDF, 0xFF, 2);
            assertThat(Arrays.copyOfRange(new Listpack.Builder().add(Model.b("ab")).build(), 6, 10))
                    .containsExactly(0x82, 'a', 'b', 3);
        }

        @Test
        @DisplayName("a truncated listpack is refused")
        void truncated() {
            byte[] lp = build();
            for (int n : new int[] {0, 3, 6, lp.length / 2, lp.length - 1}) {
                byte[] t = Arrays.copyOf(lp, n);
                assertThatThrownBy(() -> Listpack.decode(t)).isInstanceOf(BlobException.class);
            }
        }

        @Test
        @DisplayName("a wrong back-length is refused naming it")
        void badBackLength() {
            byte[] lp = new Listpack.Builder().add(Model.b("ab")).add(Model.b("c")).build();
            lp[9] = 4;
            assertThatThrownBy(() -> Listpack.decode(lp)).isInstanceOf(BlobException.class)
                    .hasMessageContaining("back-length says 4 (expected: 3)");
        }

        @Test
        @DisplayName("a wrong terminator, header length or count is refused")
        void badHeaderOrTerminator() {
            byte[] lp = new Listpack.Builder().add(Model.b("ab")).build();
            byte[] noEnd = lp.clone();
            noEnd[noEnd.length - 1] = 0;
            assertThatThrownBy(() -> Listpack.decode(noEnd)).hasMessageContaining("terminator");
            byte[] badTotal = lp.clone();
            badTotal[0]++;
            assertThatThrownBy(() -> Listpack.decode(badTotal)).hasMessageContaining("header says");
            byte[] badCount = lp.clone();
            badCount[4] = 2;
            assertThatThrownBy(() -> Listpack.decode(badCount)).hasMessageContaining("counts 2 entries (found: 1)");
            byte[] badEncoding = lp.clone();
            badEncoding[6] = (byte) 0xF7;
            assertThatThrownBy(() -> Listpack.decode(badEncoding)).hasMessageContaining("encoding byte 0xf7");
        }
    }

    /** A ziplist built by hand as Redis lays one out. */
    static byte[] ziplist(byte[]... entries) {
        int size = 11;
        for (byte[] e : entries) {
            size += e.length;
        }
        byte[] zl = new byte[size];
        Bytes.putIntLE(zl, 0, size);
        int p = 10;
        int last = 10;
        for (byte[] e : entries) {
            last = p;
            System.arraycopy(e, 0, zl, p, e.length);
            p += e.length;
        }
        Bytes.putIntLE(zl, 4, last);
        zl[8] = (byte) entries.length;
        zl[size - 1] = (byte) 0xff;
        return zl;
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Nested
    @DisplayName("ziplist")
    class Ziplists {
        @Test
        @DisplayName("strings, 4-bit immediates, int8/16/24/32/64 decode")
        void decode() throws Exception {
            byte[] zl = ziplist(bytes(0, 0x02, 'h', 'i'), bytes(4, 0xF1), bytes(2, 0xFD), bytes(2, 0xFE, 0x80),
                    bytes(3, 0xC0, 0x00, 0x80), bytes(4, 0xF0, 0xff, 0xff, 0x7f), bytes(5, 0xD0, 0, 0, 0, 0x80),
                    bytes(6, 0xE0, 1, 0, 0, 0, 0, 0, 0, 0));
            assertThat(strings(Ziplist.decode(zl)))
                    .containsExactly("hi", "0", "12", "-128", "-32768", "8388607", "-2147483648", "1");
        }

        @Test
        @DisplayName("a wrong previous-entry length is refused")
        void badPrevLen() {
            byte[] zl = ziplist(bytes(0, 0x01, 'a'), bytes(2, 0xF2));
            assertThatThrownBy(() -> Ziplist.decode(zl)).hasMessageContaining("previous entry has 2 bytes (expected: 3)");
        }

        @Test
        @DisplayName("a wrong tail offset, count, terminator or truncation is refused")
        void badHeader() {
            byte[] zl = ziplist(bytes(0, 0x01, 'a'), bytes(3, 0xF2));
            byte[] tail = zl.clone();
            tail[4] = 10;
            assertThatThrownBy(() -> Ziplist.decode(tail)).hasMessageContaining("last entry");
            byte[] count = zl.clone();
            count[8] = 3;
            assertThatThrownBy(() -> Ziplist.decode(count)).hasMessageContaining("counts 3");
            byte[] end = zl.clone();
            end[end.length - 1] = 1;
            assertThatThrownBy(() -> Ziplist.decode(end)).hasMessageContaining("terminator");
            for (int n = 0; n < zl.length; n++) {
                byte[] t = Arrays.copyOf(zl, n);
                assertThatThrownBy(() -> Ziplist.decode(t)).isInstanceOf(BlobException.class);
            }
        }
    }

    @Nested
    @DisplayName("intset")
    class Intsets {
        @Test
        @DisplayName("encodes at the narrowest width and decodes back, sorted")
        void roundTrip() throws Exception {
            assertThat(Intset.decode(Intset.encode(new long[] {3, -1, 2}))).containsExactly(-1, 2, 3);
            assertThat(Intset.encode(new long[] {1})).hasSize(10);
            assertThat(Intset.encode(new long[] {40000})).hasSize(12);
            assertThat(Intset.encode(new long[] {Long.MIN_VALUE, Long.MAX_VALUE})).hasSize(24);
            assertThat(Intset.decode(Intset.encode(new long[] {Long.MAX_VALUE, Long.MIN_VALUE})))
                    .containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
        }

        @Test
        @DisplayName("unsorted, duplicate, bad width and bad size are refused")
        void corrupt() {
            byte[] is = Intset.encode(new long[] {1, 2, 3});
            byte[] unsorted = is.clone();
            unsorted[8] = 5;
            assertThatThrownBy(() -> Intset.decode(unsorted)).hasMessageContaining("strictly ascending");
            byte[] dup = is.clone();
            dup[10] = 1;
            assertThatThrownBy(() -> Intset.decode(dup)).hasMessageContaining("strictly ascending");
            byte[] width = is.clone();
            width[0] = 3;
            assertThatThrownBy(() -> Intset.decode(width)).hasMessageContaining("width 3");
            assertThatThrownBy(() -> Intset.decode(Arrays.copyOf(is, is.length - 1))).hasMessageContaining("expected: 14");
        }
    }

    @Nested
    @DisplayName("zipmap")
    class Zipmaps {
        @Test
        @DisplayName("pairs with free bytes and a 5-byte length decode")
        void decode() throws Exception {
            byte[] big = new byte[300];
            Arrays.fill(big, (byte) 'q');
            byte[] head = bytes(2, 2, 'f', '1', 2, 1, 'v', '1', 'X', 2, 'f', '2', 254, 44, 1, 0, 0, 0);
            byte[] zm = new byte[head.length + 300 + 1];
            System.arraycopy(head, 0, zm, 0, head.length);
            System.arraycopy(big, 0, zm, head.length, 300);
            zm[zm.length - 1] = (byte) 0xff;
            List<String> pairs = strings(Zipmap.decode(zm));
            assertThat(pairs).hasSize(4);
            assertThat(pairs.subList(0, 3)).containsExactly("f1", "v1", "f2");
            assertThat(pairs.get(3)).hasSize(300);
        }

        @Test
        @DisplayName("overruns and a wrong count are refused")
        void corrupt() {
            byte[] zm = bytes(1, 2, 'f', '1', 9, 0, 'v', 0xff);
            assertThatThrownBy(() -> Zipmap.decode(zm)).hasMessageContaining("overruns");
            byte[] count = bytes(3, 1, 'f', 1, 0, 'v', 0xff);
            assertThatThrownBy(() -> Zipmap.decode(count)).hasMessageContaining("counts 3");
        }
    }
}
