package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("an LZF-compressed RDB string: read whole, refused cut with what it was and where")
class LzfStringTest {
    private static final byte[] TEXT = "value value value value value value value value value!".getBytes(StandardCharsets.US_ASCII);

    /** The string as RDB writes it compressed: 0xC3, compressed length, plain length, LZF data. */
    private static byte[] encoded() {
        byte[] out = new byte[TEXT.length];
        int n = new Lzf().compress(TEXT, TEXT.length, out, out.length);
        assertThat(n).as("the text compresses").isPositive().isLessThan(TEXT.length);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xC3);
        b.write(n); // 6-bit lengths (both below 64)
        b.write(TEXT.length);
        b.write(out, 0, n);
        return b.toByteArray();
    }

    @Test
    @DisplayName("a whole one decompresses to the text")
    void whole() throws Exception {
        assertThat(ValueReader.readString(RdbInput.of(encoded()), "test value")).isEqualTo(TEXT);
    }

    @Test
    @DisplayName("cut anywhere, the error names the part, the string being read and an offset")
    void cut() {
        byte[] whole = encoded();
        for (int len = 1; len < whole.length; len++) {
            byte[] cut = Arrays.copyOf(whole, len);
            String part = len == 1 ? "LZF compressed length" : len == 2 ? "LZF uncompressed length" : "LZF data";
            assertThatThrownBy(() -> ValueReader.readString(RdbInput.of(cut), "test value"))
                    .as("cut to %d bytes", len)
                    .isInstanceOf(RdbFormatException.class)
                    .hasMessageContaining("at offset ")
                    .hasMessageContaining(part)
                    .hasMessageContaining("(test value)");
        }
    }
}
