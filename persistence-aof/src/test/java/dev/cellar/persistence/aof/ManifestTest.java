package dev.cellar.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.persistence.aof.Manifest.FileInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static Manifest parse(String text) {
        return Manifest.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("the text Redis 7.0 writes parses and formats back byte for byte")
    void redisTextRoundTrips() {
        String text = "file appendonly.aof.2.base.rdb seq 2 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n";
        Manifest m = parse(text);
        assertThat(m.base()).isEqualTo(new FileInfo("appendonly.aof.2.base.rdb", 2, 'b'));
        assertThat(m.history()).containsExactly(new FileInfo("appendonly.aof.1.incr.aof", 1, 'h'));
        assertThat(m.incrs()).extracting(FileInfo::seq).containsExactly(2L, 3L);
        assertThat(m.format()).isEqualTo(text);
    }

    @Test
    @DisplayName("names with spaces, quotes, backslashes and control bytes are quoted as sdscatrepr does and read back")
    void quoting() {
        String odd = "my \"odd\"\\name\t\u0001.aof";
        Manifest m = new Manifest(new FileInfo(odd, 1, 'b'), List.of(), List.of(new FileInfo("plain.aof", 1, 'i')));
        String text = m.format();
        assertThat(text).startsWith("file \"my \\\"odd\\\"\\\\name\\t\\x01.aof\" seq 1 type b\n");
        assertThat(parse(text)).isEqualTo(m);
        assertThat(Manifest.needsRepr("appendonly.aof.1.base.aof")).isFalse();
    }

    @Test
    @DisplayName("sdssplitargs rules: single quotes, hex escapes, comments, extra keys, any key order and case")
    void splitArgsRules() {
        Manifest m = parse("# a comment\nFILE 'it\\'s' SEQ 5 TYPE i\nfile \"a\\x41b\" seq 1 type b future x\n");
        assertThat(m.base().name()).isEqualTo("aAb");
        assertThat(m.incrs().get(0)).isEqualTo(new FileInfo("it's", 5, 'i'));
        assertThat(Manifest.splitArgs("a 'b c' \"d\\ne\"")).extracting(x -> new String(x, StandardCharsets.ISO_8859_1))
                .containsExactly("a", "b c", "d\ne");
        assertThat(Manifest.splitArgs("'unbalanced")).isNull();
        assertThat(Manifest.splitArgs("\"closed\"x")).isNull();
    }

    @Test
    @DisplayName("malformed manifests are refused with Redis's reasons")
    void refusals() {
        assertThatThrownBy(() -> parse("file a seq 1 type b\nfile b seq 2 type b\n"))
                .hasMessageContaining("Found duplicate base file information");
        assertThatThrownBy(() -> parse("file a seq 2 type i\nfile b seq 2 type i\n"))
                .hasMessageContaining("Found a non-monotonic sequence number");
        assertThatThrownBy(() -> parse("file a seq 1 type x\n")).hasMessageContaining("Unknown AOF file type");
        assertThatThrownBy(() -> parse("file ../a seq 1 type b\n")).hasMessageContaining("File can't be a path");
        assertThatThrownBy(() -> parse("file a seq 1\n")).hasMessageContaining("Invalid AOF manifest file format");
        assertThatThrownBy(() -> parse("file a seq 0 type b\n")).hasMessageContaining("Invalid AOF manifest file format");
        assertThatThrownBy(() -> parse("\n")).hasMessageContaining("Invalid AOF manifest file format");
        assertThatThrownBy(() -> parse("# only comments\n")).hasMessageContaining("Found an empty AOF manifest");
        assertThatThrownBy(() -> parse("file " + "x".repeat(1100) + " seq 1 type b\n")).hasMessageContaining("too long line");
    }

    @Test
    @DisplayName("after a rewrite the old base and older incrs become history, newest first as Redis 7.0 lists it; newer incrs stay")
    void afterRewrite() {
        Manifest m = parse("file a.1.base.aof seq 1 type b\nfile a.1.incr.aof seq 1 type i\nfile a.2.incr.aof seq 2 type i\n");
        Manifest next = m.afterRewrite(new FileInfo("a.2.base.aof", 2, 'b'), 2);
        assertThat(next.format()).isEqualTo("file a.2.base.aof seq 2 type b\n"
                + "file a.1.incr.aof seq 1 type h\nfile a.1.base.aof seq 1 type h\nfile a.2.incr.aof seq 2 type i\n");
        // more rewrites with the history kept (aof-disable-auto-gc; here without the incr file the
        // engine opens as each starts): redis-server 7.0.15 wrote "4.base b, 3.incr h, 3.base h,
        // 2.incr h, 2.base h, 1.incr h, 1.base h, 4.incr i" after three
        Manifest third = next.afterRewrite(new FileInfo("a.3.base.aof", 3, 'b'), 3)
                .afterRewrite(new FileInfo("a.4.base.rdb", 4, 'b'), 4);
        assertThat(third.format()).isEqualTo("file a.4.base.rdb seq 4 type b\n"
                + "file a.3.base.aof seq 3 type h\nfile a.2.incr.aof seq 2 type h\nfile a.2.base.aof seq 2 type h\n"
                + "file a.1.incr.aof seq 1 type h\nfile a.1.base.aof seq 1 type h\n");
        assertThat(next.withoutHistory().history()).isEmpty();
    }
}
