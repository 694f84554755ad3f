package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LzfTest {
    private final Lzf lzf = new Lzf();

    private byte[] roundTrip(byte[] in) {
        byte[] out = new byte[in.length + in.length / 16 + 64];
        int n = lzf.compress(in, in.length, out, out.length);
        assertThat(n).isPositive();
        return Lzf.decompress(out, 0, n, in.length);
    }

    @Test
    @DisplayName("compressible, random, short and long inputs round-trip")
    void roundTrips() {
        Random r = new Random(7);
        for (int len : new int[] {1, 2, 3, 4, 21, 31, 32, 33, 100, 264, 265, 1000, 8191, 8192, 8193, 70_000, 300_000}) {
            byte[] random = new byte[len];
            r.nextBytes(random);
            assertThat(roundTrip(random)).isEqualTo(random);
            byte[] repetitive = new byte[len];
            for (int i = 0; i < len; i++) {
                repetitive[i] = (byte) "abcabcabd".charAt(i % 9);
            }
            assertThat(roundTrip(repetitive)).isEqualTo(repetitive);
            byte[] text = new byte[len];
            for (int i = 0; i < len; i++) {
                text[i] = (byte) ('a' + (r.nextInt(4)));
            }
            assertThat(roundTrip(text)).isEqualTo(text);
        }
    }

    @Test
    @DisplayName("a compressible string shrinks a lot; an incompressible one does not fit its budget")
    void compressesOrRefuses() {
        byte[] a = "a".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[a.length - 4];
        int n = lzf.compress(a, a.length, out, out.length);
        assertThat(n).isBetween(1, 2000);
        byte[] random = new byte[1000];
        new Random(1).nextBytes(random);
        assertThat(lzf.compress(random, random.length, new byte[996], 996)).isZero();
    }

    @Test
    @DisplayName("a hand-made liblzf stream (literal run, then a back-reference) decodes")
    void knownStream() {
        // "abc" literal (ctrl 2), then back-reference length 6 (ctrl (6-2)<<5), distance 3 (offset byte 2)
        byte[] stream = {2, 'a', 'b', 'c', (byte) (4 << 5), 2};
        assertThat(new String(Lzf.decompress(stream, 0, stream.length, 9), StandardCharsets.US_ASCII)).isEqualTo("abcabcabc");
    }

    @Test
    @DisplayName("malformed streams are refused with the position, never an index error")
    void malformed() {
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {5, 'a'}, 0, 2, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("literal run");
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {0, 'a', (byte) 0x20, 5}, 0, 4, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before the start");
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {1, 'a', 'b'}, 0, 3, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: 3");
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {0, 'a', (byte) 0xE0}, 0, 3, 30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }
}
