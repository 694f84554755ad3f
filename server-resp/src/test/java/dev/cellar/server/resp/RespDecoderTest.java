package dev.cellar.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RespDecoderTest {
    private static final long MAX_BULK = 512L * 1024 * 1024;

    /** Decodes a stream fed one byte at a time; returns the commands as space-joined text. */
    private static Result feedByteByByte(String stream, long maxBulk) {
        RespDecoder d = new RespDecoder(maxBulk);
        ByteBuf buf = Unpooled.buffer();
        List<String> out = new ArrayList<>();
        for (byte b : stream.getBytes(StandardCharsets.ISO_8859_1)) {
            buf.writeByte(b);
            byte[][] argv;
            while ((argv = d.next(buf)) != null) {
                out.add(join(argv));
            }
            buf.discardReadBytes();
        }
        return new Result(out, d.error(), d.midRequest());
    }

    private static Result feedAtOnce(String stream) {
        RespDecoder d = new RespDecoder(MAX_BULK);
        ByteBuf buf = Unpooled.copiedBuffer(stream, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        byte[][] argv;
        while ((argv = d.next(buf)) != null) {
            out.add(join(argv));
        }
        return new Result(out, d.error(), d.midRequest());
    }

    private record Result(List<String> commands, String error, boolean midRequest) {}

    private static String join(byte[][] argv) {
        List<String> parts = new ArrayList<>();
        for (byte[] a : argv) {
            parts.add(new String(a, StandardCharsets.ISO_8859_1));
        }
        return String.join("|", parts);
    }

    @Test
    @DisplayName("a pipeline of multibulk and inline requests decodes the same fed one byte at a time")
    void byteByByte() {
        String stream = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\nGET k\r\n*1\r\n$4\r\nPING\r\nECHO \"a b\"\n";
        Result r = feedByteByByte(stream, MAX_BULK);
        assertThat(r.commands()).containsExactly("SET|k|hello", "GET|k", "PING", "ECHO|a b");
        assertThat(r.error()).isNull();
        assertThat(r.midRequest()).isFalse();
        assertThat(feedAtOnce(stream).commands()).isEqualTo(r.commands());
    }

    @Test
    void binarySafeBulkWithCrLfInside() {
        Result r = feedByteByByte("*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n", MAX_BULK);
        assertThat(r.commands()).containsExactly("ECHO|a\r\nb");
    }

    @Test
    void emptyAndNegativeMultibulkCountsAreSkippedAsRedisDoes() {
        assertThat(feedByteByByte("*0\r\n*-5\r\nPING\r\n\r\n\r\n", MAX_BULK).commands()).containsExactly("PING");
    }

    @Test
    void halfACommandWaitsForMore() {
        Result r = feedByteByByte("*2\r\n$3\r\nGET\r\n$3\r\nab", MAX_BULK);
        assertThat(r.commands()).isEmpty();
        assertThat(r.error()).isNull();
        assertThat(r.midRequest()).isTrue();
    }

    @Test
    void aDeclaredHugeCountAllocatesNothingUntilTheBytesCome() {
        Result r = feedAtOnce("*2147483647\r\n$3\r\nGET\r\n");
        assertThat(r.error()).isNull();
        assertThat(r.midRequest()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "*1\\r\\nx\\r\\n|ERR Protocol error: expected '$', got 'x'",
        "*1\\r\\n$-3\\r\\n|ERR Protocol error: invalid bulk length",
        "*1\\r\\n$abc\\r\\n|ERR Protocol error: invalid bulk length",
        "*1\\r\\n$536870913\\r\\n|ERR Protocol error: invalid bulk length",
        "*abc\\r\\n|ERR Protocol error: invalid multibulk length",
        "*2147483648\\r\\n|ERR Protocol error: invalid multibulk length",
        "GET \"a\\r\\n|ERR Protocol error: unbalanced quotes in request",
        "SET 'a'b c\\r\\n|ERR Protocol error: unbalanced quotes in request",
    })
    void protocolErrorsAsRedisWordsThem(String stream, String error) {
        String s = stream.replace("\\r", "\r").replace("\\n", "\n");
        assertThat(feedByteByByte(s, MAX_BULK).error()).isEqualTo(error);
        assertThat(feedAtOnce(s).error()).isEqualTo(error);
    }

    @Test
    void commandsBeforeAnErrorAreDelivered() {
        Result r = feedAtOnce("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n");
        assertThat(r.commands()).containsExactly("PING", "PING");
        assertThat(r.error()).isEqualTo("ERR Protocol error: invalid multibulk length");
    }

    @Test
    void bulkLengthLimitIsConfigurable() {
        assertThat(feedAtOnce("*1\r\n$10\r\n").error()).isNull();
        RespDecoder d = new RespDecoder(4);
        d.next(Unpooled.copiedBuffer("*1\r\n$5\r\n", StandardCharsets.US_ASCII));
        assertThat(d.error()).isEqualTo("ERR Protocol error: invalid bulk length");
    }

    @Test
    void anInlineLineWithoutNewlineLongerThan64kIsRefused() {
        RespDecoder d = new RespDecoder(MAX_BULK);
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(new byte[64 * 1024 + 1]).setByte(0, 'G');
        assertThat(d.next(buf)).isNull();
        assertThat(d.error()).isEqualTo("ERR Protocol error: too big inline request");
    }

    @Test
    void inlineQuotingFollowsSdssplitargs() {
        assertThat(feedByteByByte("SET \"k\\x41\\n\" 'it\\'s'\r\n", MAX_BULK).commands())
                .containsExactly("SET|kA\n|it's");
    }

    @Test
    void unauthenticatedClientsGetRedis7Limits() {
        RespDecoder d = new RespDecoder(MAX_BULK);
        d.setUnauthenticated(true);
        d.next(Unpooled.copiedBuffer("*11\r\n", StandardCharsets.US_ASCII));
        assertThat(d.error()).isEqualTo("ERR Protocol error: unauthenticated multibulk length");
        RespDecoder e = new RespDecoder(MAX_BULK);
        e.setUnauthenticated(true);
        e.next(Unpooled.copiedBuffer("*10\r\n$16385\r\n", StandardCharsets.US_ASCII));
        assertThat(e.error()).isEqualTo("ERR Protocol error: unauthenticated bulk length");
        RespDecoder f = new RespDecoder(MAX_BULK);
        f.setUnauthenticated(true);
        assertThat(f.next(Unpooled.copiedBuffer("*10\r\n$16384\r\n", StandardCharsets.US_ASCII))).isNull();
        assertThat(f.error()).isNull();
    }
}
