package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Connections over raw RESP")
class ConnectionBehaviourTest {
    static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.start();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Reply bulk(String s) {
        return Reply.bulk(s);
    }

    @Nested
    @DisplayName("Blocking commands (the test-only TBLPOP, shaped like BLPOP)")
    class Blocking {
        @Test
        @DisplayName("a blocked client gets its reply when another pushes, then its held pipelined commands run")
        void servedThenPipelineResumes() throws Exception {
            try (RespClient a = fixture.client(); RespClient b = fixture.client()) {
                a.sendRaw(ascii("*3\r\n$6\r\nTBLPOP\r\n$2\r\nq1\r\n$1\r\n0\r\n*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n"));
                Thread.sleep(200);
                assertThat(b.call("CLIENT", "LIST").toString()).contains("flags=b");
                assertThat(b.call("TPUSH", "q1", "v")).isEqualTo(Reply.of(1));
                assertThat(a.read()).isEqualTo(Reply.array(List.of(bulk("q1"), bulk("v"))));
                assertThat(a.read()).isEqualTo(bulk("after"));
                assertThat(b.call("EXISTS", "q1")).isEqualTo(Reply.ZERO);
            }
        }

        @Test
        @DisplayName("a timeout answers a null array (timeouts come from the engine's cron)")
        void timeout() throws Exception {
            try (RespClient a = fixture.client()) {
                long start = System.nanoTime();
                assertThat(a.call("TBLPOP", "q2", "0.2")).isEqualTo(Reply.NULL_ARRAY);
                assertThat((System.nanoTime() - start) / 1_000_000).isBetween(150L, 3000L);
                assertThat(a.call("PING")).isEqualTo(new Reply.Simple("PONG"));
            }
        }

        @Test
        @DisplayName("a client that disconnects while blocked is forgotten: the push stays in the key")
        void disconnectWhileBlocked() throws Exception {
            try (RespClient b = fixture.client()) {
                RespClient a = fixture.client();
                a.send(ascii("TBLPOP"), ascii("q3"), ascii("0"));
                Thread.sleep(100);
                a.close();
                JedisIntegrationTest.waitFor(() -> {
                    try {
                        return !b.call("INFO", "clients").toString().contains("blocked_clients:1");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(b.call("TPUSH", "q3", "v")).isEqualTo(Reply.of(1));
                assertThat(b.call("EXISTS", "q3")).isEqualTo(Reply.ONE);
                b.call("DEL", "q3");
            }
        }

        @Test
        @DisplayName("CLIENT UNBLOCK wakes a blocked client with the timeout reply or an error")
        void clientUnblock() throws Exception {
            try (RespClient a = fixture.client(); RespClient b = fixture.client()) {
                long id = ((Reply.Int) a.call("CLIENT", "ID")).value();
                a.send(ascii("TBLPOP"), ascii("q4"), ascii("0"));
                Thread.sleep(100);
                assertThat(b.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR")).isEqualTo(Reply.ONE);
                assertThat(a.read()).isEqualTo(Reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
            }
        }
    }

    @Nested
    @DisplayName("RESP3 and HELLO")
    class Resp3 {
        @Test
        @DisplayName("HELLO 3 answers Redis 7.0's map and switches the protocol")
        void hello() throws Exception {
            try (RespClient c = fixture.client()) {
                Reply r = c.call("HELLO", "3", "SETNAME", "me");
                assertThat(r).isInstanceOf(Reply.MapReply.class);
                List<Reply> kv = ((Reply.MapReply) r).keysAndValues();
                assertThat(kv.subList(0, 6)).containsExactly(bulk("server"), bulk("redis"), bulk("version"),
                        bulk("7.0.15"), bulk("proto"), Reply.of(3));
                assertThat(c.call("CONFIG", "GET", "maxclients")).isInstanceOf(Reply.MapReply.class);
                assertThat(c.call("GET", "nosuchkey")).isEqualTo(Reply.NULL);
                assertThat(c.call("CLIENT", "GETNAME")).isEqualTo(bulk("me"));
                assertThat(c.call("HELLO", "4")).isEqualTo(Reply.error("NOPROTO unsupported protocol version"));
                assertThat(c.call("HELLO", "x"))
                        .isEqualTo(Reply.error("ERR Protocol version is not an integer or out of range"));
            }
        }

        @Test
        @DisplayName("in RESP3, Pub/Sub messages are pushes and other commands still work")
        void pushes() throws Exception {
            try (RespClient sub = fixture.client(); RespClient pub = fixture.client()) {
                sub.call("HELLO", "3");
                assertThat(sub.call("SUBSCRIBE", "c3")).isEqualTo(new Reply.Push(List.of(bulk("subscribe"),
                        bulk("c3"), Reply.ONE)));
                assertThat(sub.call("GET", "nosuch")).isEqualTo(Reply.NULL);
                assertThat(pub.call("PUBLISH", "c3", "m")).isEqualTo(Reply.ONE);
                assertThat(sub.read()).isEqualTo(new Reply.Push(List.of(bulk("message"), bulk("c3"), bulk("m"))));
            }
        }

        @Test
        @DisplayName("SUBSCRIBE inside MULTI answers in EXEC's array, as Redis 7.0 does")
        void subscribeInMulti() throws Exception {
            try (RespClient sub = fixture.client(); RespClient pub = fixture.client()) {
                assertThat(sub.call("MULTI")).isEqualTo(Reply.OK);
                assertThat(sub.call("SUBSCRIBE", "cm")).isEqualTo(Reply.QUEUED);
                assertThat(sub.call("EXEC")).isEqualTo(Reply.array(List.of(
                        Reply.array(List.of(bulk("subscribe"), bulk("cm"), Reply.ONE)))));
                assertThat(pub.call("PUBLISH", "cm", "x")).isEqualTo(Reply.ONE);
                assertThat(sub.read()).isEqualTo(Reply.array(List.of(bulk("message"), bulk("cm"), bulk("x"))));
            }
        }

        @Test
        @DisplayName("in RESP2 Pub/Sub mode only the subscription commands are allowed")
        void resp2Restrictions() throws Exception {
            try (RespClient sub = fixture.client()) {
                sub.call("SUBSCRIBE", "c2");
                assertThat(sub.call("GET", "a")).isEqualTo(Reply.error("ERR Can't execute 'get': only (P|S)SUBSCRIBE"
                        + " / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
                assertThat(sub.call("PING")).isEqualTo(Reply.array(List.of(bulk("pong"), bulk(""))));
                assertThat(sub.call("RESET")).isEqualTo(new Reply.Simple("RESET"));
                assertThat(sub.call("GET", "a")).isEqualTo(Reply.NULL);
            }
        }
    }

    @Nested
    @DisplayName("Connection commands")
    class Commands {
        @Test
        @DisplayName("CLIENT REPLY OFF and SKIP suppress replies; ON restores them")
        void clientReply() throws Exception {
            try (RespClient c = fixture.client()) {
                c.send(ascii("CLIENT"), ascii("REPLY"), ascii("SKIP"));
                c.send(ascii("ECHO"), ascii("skipped"));
                c.send(ascii("CLIENT"), ascii("REPLY"), ascii("OFF"));
                c.send(ascii("ECHO"), ascii("off"));
                assertThat(c.call("CLIENT", "REPLY", "ON")).isEqualTo(Reply.OK);
                assertThat(c.call("ECHO", "on")).isEqualTo(bulk("on"));
            }
        }

        @Test
        @DisplayName("CLIENT PAUSE WRITE holds writes until the pause ends and lets reads through")
        void clientPause() throws Exception {
            try (RespClient admin = fixture.client(); RespClient c = fixture.client()) {
                long start = System.nanoTime();
                assertThat(admin.call("CLIENT", "PAUSE", "1500", "WRITE")).isEqualTo(Reply.OK);
                assertThat(c.call("GET", "paused")).isEqualTo(Reply.NULL);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1200);
                assertThat(c.call("SET", "paused", "1")).isEqualTo(Reply.OK);
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1450);
                c.call("DEL", "paused");
            }
        }

        @Test
        @DisplayName("QUIT answers OK and closes")
        void quit() throws Exception {
            try (RespClient c = fixture.client()) {
                assertThat(c.call("QUIT")).isEqualTo(Reply.OK);
                assertThatThrownBy(c::read).isInstanceOf(EOFException.class);
            }
        }

        @Test
        @DisplayName("inline commands work as from telnet")
        void inline() throws Exception {
            try (RespClient c = fixture.client()) {
                c.sendRaw(ascii("SET inl \"a b\"\r\nGET inl\n"));
                assertThat(c.read()).isEqualTo(Reply.OK);
                assertThat(c.read()).isEqualTo(bulk("a b"));
            }
        }

        @Test
        @DisplayName("MONITOR streams other clients' commands")
        void monitor() throws Exception {
            try (RespClient m = fixture.client(); RespClient c = fixture.client()) {
                assertThat(m.call("MONITOR")).isEqualTo(Reply.OK);
                c.call("SET", "mon", "1");
                String line = ((Reply.Simple) m.read()).value();
                assertThat(line).contains("[0 127.0.0.1:").endsWith("\"SET\" \"mon\" \"1\"");
            }
        }
    }

    @Nested
    @DisplayName("Protocol abuse")
    class Abuse {
        @Test
        @DisplayName("a bulk length over proto-max-bulk-len gets the error, the connection closes, others go on")
        void bulkOverLimit() throws Exception {
            try (RespClient bad = fixture.client(); RespClient good = fixture.client()) {
                bad.sendRaw(ascii("*2\r\n$3\r\nGET\r\n$" + (512L * 1024 * 1024 + 1) + "\r\n"));
                assertThat(bad.read()).isEqualTo(Reply.error("ERR Protocol error: invalid bulk length"));
                assertThatThrownBy(bad::read).isInstanceOfAny(EOFException.class, SocketException.class);
                assertThat(good.call("PING")).isEqualTo(new Reply.Simple("PONG"));
            }
        }

        @Test
        @DisplayName("a negative multibulk count is ignored, as Redis does")
        void negativeCount() throws Exception {
            try (RespClient c = fixture.client()) {
                c.sendRaw(ascii("*-10\r\n"));
                assertThat(c.call("PING")).isEqualTo(new Reply.Simple("PONG"));
            }
        }

        @Test
        @DisplayName("garbage bytes never disturb other clients")
        void garbage() throws Exception {
            Random random = new Random(42);
            try (RespClient good = fixture.client()) {
                for (int i = 0; i < 20; i++) {
                    byte[] junk = new byte[1 + random.nextInt(4000)];
                    random.nextBytes(junk);
                    junk[0] = (byte) "*$+x\"'"
                            .charAt(random.nextInt(6));
                    try (Socket s = new Socket("127.0.0.1", fixture.port())) {
                        s.getOutputStream().write(junk);
                        s.getOutputStream().flush();
                    }
                    assertThat(good.call("PING")).isEqualTo(new Reply.Simple("PONG"));
                }
            }
        }

        @Test
        @DisplayName("half a command then a disconnect leaves nothing behind")
        void halfCommand() throws Exception {
            try (RespClient c = fixture.client()) {
                long before = connected(c);
                try (Socket s = new Socket("127.0.0.1", fixture.port())) {
                    s.getOutputStream().write(ascii("*3\r\n$3\r\nSET\r\n$1\r\nh\r\n$10\r\nabc"));
                    s.getOutputStream().flush();
                    JedisIntegrationTest.waitFor(() -> connected(c) == before + 1);
                }
                JedisIntegrationTest.waitFor(() -> connected(c) == before);
                assertThat(c.call("EXISTS", "h")).isEqualTo(Reply.ZERO);
            }
        }

        @Test
        @DisplayName("1000 idle connections are held and the server still answers")
        void manyIdle() throws Exception {
            List<Socket> idle = new ArrayList<>();
            try (RespClient c = fixture.client()) {
                long before = connected(c);
                for (int i = 0; i < 1000; i++) {
                    idle.add(new Socket("127.0.0.1", fixture.port()));
                }
                JedisIntegrationTest.waitFor(() -> connected(c) == before + 1000);
                assertThat(c.call("PING")).isEqualTo(new Reply.Simple("PONG"));
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }

        @Test
        @DisplayName("maxclients refuses the client over the limit with Redis's error")
        void maxclients() throws Exception {
            try (ServerFixture f = ServerFixture.start("maxclients", "2"); RespClient a = f.client();
                    RespClient b = f.client()) {
                // both registered before the third connects (accepts run on different event loops)
                assertThat(a.call("PING")).isEqualTo(new Reply.Simple("PONG"));
                assertThat(b.call("PING")).isEqualTo(new Reply.Simple("PONG"));
                try (Socket third = new Socket("127.0.0.1", f.port())) {
                    third.setSoTimeout(10_000);
                    InputStream in = third.getInputStream();
                    assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("-ERR max number of clients reached\r\n");
                }
            }
        }

        @Test
        @DisplayName("timeout closes idle clients")
        void idleTimeout() throws Exception {
            try (ServerFixture f = ServerFixture.start("timeout", "1"); RespClient a = f.client()) {
                a.call("PING");
                Thread.sleep(2500);
                assertThatThrownBy(() -> a.call("PING")).isInstanceOfAny(EOFException.class, SocketException.class);
            }
        }

        @Test
        @DisplayName("a subscriber that does not read is dropped at the pubsub output buffer hard limit")
        void pubsubOutputLimit() throws Exception {
            try (ServerFixture f = ServerFixture.start("client-output-buffer-limit", "pubsub 1mb 0 0");
                    Socket slow = new Socket("127.0.0.1", f.port()); RespClient pub = f.client()) {
                slow.setReceiveBufferSize(4096);
                slow.getOutputStream().write(ascii("SUBSCRIBE flood\r\n"));
                slow.getOutputStream().flush();
                JedisIntegrationTest.waitFor(() -> numsub(pub, "flood") == 1);
                String big = "x".repeat(64 * 1024);
                for (int i = 0; i < 400 && numsub(pub, "flood") == 1; i++) {
                    pub.call("PUBLISH", "flood", big);
                }
                JedisIntegrationTest.waitFor(() -> numsub(pub, "flood") == 0);
            }
        }

        @Test
        @DisplayName("a query buffer over client-query-buffer-limit closes the connection")
        void queryBufferLimit() throws Exception {
            try (ServerFixture f = ServerFixture.start("client-query-buffer-limit", "1mb");
                    RespClient c = f.client()) {
                c.sendRaw(ascii("*2\r\n$4\r\nECHO\r\n$3000000\r\n"));
                byte[] chunk = new byte[64 * 1024];
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 40; i++) {
                        c.sendRaw(chunk);
                        Thread.sleep(5);
                    }
                    c.read();
                }).isInstanceOfAny(EOFException.class, SocketException.class);
            }
        }

        private static long numsub(RespClient c, String channel) {
            try {
                Reply r = c.call("PUBSUB", "NUMSUB", channel);
                return ((Reply.Int) ((Reply.Array) r).items().get(1)).value();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static long connected(RespClient c) {
            try {
                String info = c.call("INFO", "clients").toString();
                int at = info.indexOf("connected_clients:") + "connected_clients:".length();
                return Long.parseLong(info.substring(at, info.indexOf('\r', at)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
