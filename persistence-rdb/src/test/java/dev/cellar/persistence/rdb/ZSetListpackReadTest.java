package dev.cellar.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.spi.persistence.DataValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A sorted set's listpack is read in one walk, integer scores straight to doubles: the result is
 * what parsing each score's text gives, bit for bit, and a bad set is refused as before.
 */
class ZSetListpackReadTest {

    /** The value as RDB stores it: the listpack of alternating members and scores as one string. */
    private static byte[] rdbValue(String... membersAndScores) {
        Listpack.Builder b = new Listpack.Builder();
        for (String s : membersAndScores) {
            b.add(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] lp = b.build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80); // 32-bit length
        out.write(lp.length >>> 24);
        out.write(lp.length >>> 16);
        out.write(lp.length >>> 8);
        out.write(lp.length);
        out.write(lp, 0, lp.length);
        return out.toByteArray();
    }

    private static DataValue read(String... membersAndScores) throws Exception {
        return ValueReader.readValue(RdbConstants.TYPE_ZSET_LISTPACK, RdbInput.of(rdbValue(membersAndScores)));
    }

    @Test
    @DisplayName("integer and text scores read as their text parses, members as their text")
    void scoresAsTheirTextParses() throws Exception {
        String[] pairs = {
            "a", "-9223372036854775808", "7", "-2147483649", "b", "-32769", "c", "-1", "d", "0",
            "e", "0.1", "f", "1.5", "g", "127", "h", "4096", "12", "8388608", "i", "1700000001",
            "j", "9007199254740993", "k", "9223372036854775807", "l", "inf"};
        DataValue.ZSetData z = (DataValue.ZSetData) read(pairs);
        List<String> members = new ArrayList<>();
        List<Long> bits = new ArrayList<>();
        z.forEach((m, s) -> {
            members.add(new String(m, StandardCharsets.ISO_8859_1));
            bits.add(Double.doubleToRawLongBits(s));
        });
        List<String> wantMembers = new ArrayList<>();
        List<Long> wantBits = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            wantMembers.add(pairs[i]);
            wantBits.add(Double.doubleToRawLongBits(ValueReader.parseDouble(pairs[i + 1].getBytes(StandardCharsets.US_ASCII))));
        }
        assertThat(members).isEqualTo(wantMembers);
        assertThat(bits).isEqualTo(wantBits);
        assertThat(z.distinct()).isTrue();
    }

    @Test
    @DisplayName("an odd count, a score that is not a number and a repeated member are refused as before")
    void refusals() {
        assertThatThrownBy(() -> read("a", "1", "b")).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("odd number of entries (3)");
        assertThatThrownBy(() -> read("a", "1", "b", "abc", "c", "x")).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("sorted set score 'abc' of member 1 is not a number");
        assertThatThrownBy(() -> read("a", "1", "b", "2", "a", "3")).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("duplicate sorted set members detected ('a')");
    }

    @Test
    @DisplayName("a header that does not count its entries (65535) reads the same")
    void uncountedHeader() throws Exception {
        String[] pairs = new String[80];
        for (int i = 0; i < 40; i++) {
            pairs[2 * i] = "m" + (100 + i);
            pairs[2 * i + 1] = Integer.toString(i);
        }
        byte[] value = rdbValue(pairs);
        value[5 + 4] = (byte) 0xff; // the listpack starts after the 5-byte length
        value[5 + 5] = (byte) 0xff;
        DataValue.ZSetData z = (DataValue.ZSetData) ValueReader.readValue(RdbConstants.TYPE_ZSET_LISTPACK,
                RdbInput.of(value));
        List<String> got = new ArrayList<>();
        z.forEach((m, s) -> got.add(new String(m, StandardCharsets.ISO_8859_1) + "=" + (long) s));
        assertThat(got).hasSize(40).startsWith("m100=0").endsWith("m139=39");
    }

    @Test
    @DisplayName("out of order, the pairs are put in order")
    void ordered() throws Exception {
        DataValue.ZSetData z = (DataValue.ZSetData) read("c", "3", "a", "1", "b", "2");
        List<String> members = new ArrayList<>();
        z.forEach((m, s) -> members.add(new String(m, StandardCharsets.ISO_8859_1) + "=" + s));
        assertThat(members).containsExactly("a=1.0", "b=2.0", "c=3.0");
    }
}
