package dev.cellar.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespEncoderTest {
    private static String enc(Reply r, int resp) {
        ByteBuf b = Unpooled.buffer();
        RespEncoder.encode(r, resp, b);
        return b.toString(StandardCharsets.UTF_8);
    }

    private static final Reply MAP = new Reply.MapReply(List.of(Reply.bulk("a"), Reply.of(1)));

    @Test
    void resp2FlattensWhatItLacks() {
        assertThat(enc(MAP, 2)).isEqualTo("*2\r\n$1\r\na\r\n:1\r\n");
        assertThat(enc(new Reply.SetReply(List.of(Reply.bulk("x"))), 2)).isEqualTo("*1\r\n$1\r\nx\r\n");
        assertThat(enc(new Reply.Double(1.5), 2)).isEqualTo("$3\r\n1.5\r\n");
        assertThat(enc(new Reply.Double(0.1), 2)).isEqualTo("$19\r\n0.10000000000000001\r\n");
        assertThat(enc(new Reply.Bool(true), 2)).isEqualTo(":1\r\n");
        assertThat(enc(Reply.NULL, 2)).isEqualTo("$-1\r\n");
        assertThat(enc(Reply.NULL_ARRAY, 2)).isEqualTo("*-1\r\n");
        assertThat(enc(new Reply.Push(List.of(Reply.bulk("m"))), 2)).isEqualTo("*1\r\n$1\r\nm\r\n");
    }

    @Test
    void resp3HasItsOwnTypes() {
        assertThat(enc(MAP, 3)).isEqualTo("%1\r\n$1\r\na\r\n:1\r\n");
        assertThat(enc(new Reply.SetReply(List.of(Reply.bulk("x"))), 3)).isEqualTo("~1\r\n$1\r\nx\r\n");
        assertThat(enc(new Reply.Double(1.5), 3)).isEqualTo(",1.5\r\n");
        assertThat(enc(new Reply.Double(Double.POSITIVE_INFINITY), 3)).isEqualTo(",inf\r\n");
        assertThat(enc(new Reply.Bool(false), 3)).isEqualTo("#f\r\n");
        assertThat(enc(Reply.NULL, 3)).isEqualTo("_\r\n");
        assertThat(enc(Reply.NULL_ARRAY, 3)).isEqualTo("_\r\n");
        assertThat(enc(new Reply.Push(List.of(Reply.bulk("m"))), 3)).isEqualTo(">1\r\n$1\r\nm\r\n");
    }

    @Test
    void scalarsAndSharedForms() {
        assertThat(enc(Reply.OK, 2)).isEqualTo("+OK\r\n");
        assertThat(enc(Reply.of(0), 2)).isEqualTo(":0\r\n");
        assertThat(enc(Reply.of(-12345678901L), 2)).isEqualTo(":-12345678901\r\n");
        assertThat(enc(Reply.of(Long.MIN_VALUE), 2)).isEqualTo(":" + Long.MIN_VALUE + "\r\n");
        assertThat(enc(Reply.of(123456), 3)).isEqualTo(":123456\r\n");
        assertThat(enc(Reply.bulk(new byte[2000]), 2)).startsWith("$2000\r\n");
        assertThat(enc(Reply.error("ERR bad\r\nthing"), 2)).isEqualTo("-ERR bad  thing\r\n");
        assertThat(enc(Reply.EMPTY_ARRAY, 3)).isEqualTo("*0\r\n");
    }

    @Test
    void everySharedIntegerAndHeaderIsItsDecimalForm() {
        for (int i = 0; i <= 10_001; i++) {
            assertThat(enc(Reply.of(i), 2)).as("integer %d", i).isEqualTo(":" + i + "\r\n");
        }
        for (int n = 0; n <= 1025; n++) {
            assertThat(enc(Reply.bulk(new byte[n]), 2)).as("bulk of %d", n).startsWith("$" + n + "\r\n");
            List<Reply> items = java.util.Collections.nCopies(n, Reply.of(1));
            assertThat(enc(Reply.array(items), 2)).as("array of %d", n).startsWith("*" + n + "\r\n");
        }
    }
}
