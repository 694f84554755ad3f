package dev.cellar.core.commands;

import static dev.cellar.core.commands.ZSetCommandsTest.bulks;
import static dev.cellar.core.commands.ZSetCommandsTest.err;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.Resp2;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import dev.cellar.core.values.ZSetValue;
import dev.cellar.spi.persistence.DataValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD. */
class ZSetAlgebraTest {
    private final TestEngine t = TestEngine.create();

    @AfterEach
    void close() {
        t.close();
    }

    Reply exec2(String... argv) {
        return Resp2.of(t.exec(argv));
    }

    /**
     * A plain set as the set family will hold it, reduced to what the algebra reads (its type and
     * its DataValue view). Test-only: the set type is written in another branch.
     */
    static final class StubSet implements RValue {
        final List<byte[]> members = new ArrayList<>();

        StubSet(String... members) {
            for (String m : members) {
                this.members.add(m.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public ValueType type() {
            return ValueType.SET;
        }

        @Override
        public String encoding() {
            return "hashtable";
        }

        @Override
        public long size() {
            return members.size();
        }

        @Override
        public long memoryUsage() {
            return 0;
        }

        @Override
        public RValue copy() {
            return this;
        }

        @Override
        public DataValue view() {
            return new DataValue.SetData() {
                @Override
                public String encoding() {
                    return "hashtable";
                }

                @Override
                public long size() {
                    return members.size();
                }

                @Override
                public void forEach(Consumer<byte[]> member) {
                    members.forEach(member);
                }
            };
        }
    }

    void addSet(String key, String... members) {
        t.cellar.withLock(() -> {
            t.cellar.engine().db(0).add(key.getBytes(StandardCharsets.UTF_8), new StubSet(members));
            return null;
        });
    }

    void fill() {
        t.exec("ZADD", "a", "1", "x", "2", "y", "3", "z");
        t.exec("ZADD", "b", "10", "y", "20", "z", "30", "w");
    }

    @Test
    void unionSumsWithWeightsAndOrdersByScore() {
        fill();
        assertThat(exec2("ZUNION", "2", "a", "b", "WITHSCORES"))
                .isEqualTo(bulks("x", "1", "y", "12", "z", "23", "w", "30"));
        assertThat(exec2("ZUNION", "2", "a", "b", "WEIGHTS", "2", "-1", "WITHSCORES"))
                .isEqualTo(bulks("w", "-30", "z", "-14", "y", "-6", "x", "2"));
        assertThat(exec2("ZUNION", "2", "a", "b", "AGGREGATE", "MAX")).isEqualTo(bulks("x", "y", "z", "w"));
        assertThat(exec2("ZUNION", "2", "a", "nokey", "AGGREGATE", "MIN", "WITHSCORES"))
                .isEqualTo(bulks("x", "1", "y", "2", "z", "3"));
    }

    @Test
    void interAndDiff() {
        fill();
        assertThat(exec2("ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES")).isEqualTo(bulks("y", "2", "z", "3"));
        assertThat(exec2("ZINTER", "2", "a", "nokey")).isEqualTo(Reply.EMPTY_ARRAY);
        assertThat(exec2("ZDIFF", "2", "a", "b", "WITHSCORES")).isEqualTo(bulks("x", "1"));
        assertThat(exec2("ZDIFF", "2", "nokey", "a")).isEqualTo(Reply.EMPTY_ARRAY);
        assertThat(t.exec("ZINTERCARD", "2", "a", "b")).isEqualTo(Reply.of(2));
        assertThat(t.exec("ZINTERCARD", "2", "a", "b", "LIMIT", "1")).isEqualTo(Reply.ONE);
        assertThat(t.exec("ZINTERCARD", "2", "a", "b", "LIMIT", "0")).isEqualTo(Reply.of(2));
    }

    @Test
    void infinityTimesZeroAndInfinityMinusInfinityBecomeZero() {
        t.exec("ZADD", "p", "inf", "m");
        t.exec("ZADD", "n", "-inf", "m");
        assertThat(exec2("ZUNION", "2", "p", "n", "WITHSCORES")).isEqualTo(bulks("m", "0"));
        assertThat(exec2("ZUNION", "1", "p", "WEIGHTS", "0", "WITHSCORES")).isEqualTo(bulks("m", "0"));
        assertThat(exec2("ZINTER", "2", "p", "n", "WITHSCORES")).isEqualTo(bulks("m", "0"));
        assertThat(exec2("ZINTER", "2", "p", "p", "WEIGHTS", "1", "0", "AGGREGATE", "MIN", "WITHSCORES"))
                .isEqualTo(bulks("m", "inf"));
    }

    @Test
    void plainSetsCountWithScoreOne() {
        fill();
        addSet("s", "x", "w", "q");
        assertThat(exec2("ZUNION", "2", "a", "s", "WITHSCORES"))
                .isEqualTo(bulks("q", "1", "w", "1", "x", "2", "y", "2", "z", "3"));
        assertThat(exec2("ZINTER", "2", "s", "b", "WEIGHTS", "5", "1", "WITHSCORES")).isEqualTo(bulks("w", "35"));
        assertThat(exec2("ZDIFF", "2", "s", "a", "WITHSCORES")).isEqualTo(bulks("q", "1", "w", "1"));
        assertThat(t.exec("ZINTERCARD", "2", "s", "a")).isEqualTo(Reply.ONE);
        assertThat(t.exec("ZUNIONSTORE", "d", "1", "s")).isEqualTo(Reply.of(3));
        assertThat(exec2("ZRANGE", "d", "0", "-1", "WITHSCORES")).isEqualTo(bulks("q", "1", "w", "1", "x", "1"));
    }

    @Test
    void storeFormsReplaceTheDestinationAndItsTtl() {
        fill();
        t.exec("SET", "d", "v", "EX", "100");
        assertThat(t.exec("ZINTERSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2")).isEqualTo(Reply.of(2));
        assertThat(exec2("ZRANGE", "d", "0", "-1", "WITHSCORES")).isEqualTo(bulks("y", "22", "z", "43"));
        assertThat(t.exec("PEXPIRETIME", "d")).isEqualTo(Reply.of(-1));
        assertThat(t.exec("ZDIFFSTORE", "d", "2", "a", "a")).isEqualTo(Reply.ZERO);
        assertThat(t.exec("EXISTS", "d")).isEqualTo(Reply.ZERO);
        assertThat(t.exec("ZUNIONSTORE", "a", "2", "a", "b")).isEqualTo(Reply.of(4));
        assertThat(exec2("ZRANGE", "a", "0", "-1")).isEqualTo(bulks("x", "y", "z", "w"));
    }

    @Test
    void storedResultsTakeTheEncodingTheirContentsCallFor() {
        t.exec("ZADD", "big", "1", "a", "2", "b", "3", "l".repeat(65));
        t.exec("ZADD", "small", "1", "a", "2", "b");
        t.exec("ZUNIONSTORE", "d1", "1", "big");
        t.exec("ZINTERSTORE", "d2", "2", "big", "small");
        assertThat(encoding("d1")).isEqualTo("skiplist");
        assertThat(encoding("d2")).isEqualTo("listpack");
    }

    String encoding(String key) {
        return t.cellar.withLock(() -> ((ZSetValue) t.cellar.engine().db(0).lookupReadNoTouch(key.getBytes())).encoding());
    }

    @Test
    void errorsFollowRedis70() {
        fill();
        t.exec("SET", "str", "v");
        assertThat(t.exec("ZUNIONSTORE", "d", "0", "a")).isEqualTo(err("ERR at least 1 input key is needed for 'zunionstore' command"));
        assertThat(t.exec("ZUNION", "-1", "a")).isEqualTo(err("ERR at least 1 input key is needed for 'zunion' command"));
        assertThat(t.exec("ZINTERCARD", "0", "a")).isEqualTo(err("ERR at least 1 input key is needed for 'zintercard' command"));
        assertThat(t.exec("ZUNION", "x", "a")).isEqualTo(err("ERR value is not an integer or out of range"));
        assertThat(t.exec("ZUNION", "3", "a", "b")).isEqualTo(err("ERR syntax error"));
        assertThat(t.exec("ZINTER", "1", "a", "WEIGHTS", "1", "2")).isEqualTo(err("ERR syntax error"));
        assertThat(t.exec("ZINTER", "1", "a", "WEIGHTS", "x")).isEqualTo(err("ERR weight value is not a float"));
        assertThat(t.exec("ZINTER", "1", "a", "AGGREGATE", "AVG")).isEqualTo(err("ERR syntax error"));
        assertThat(t.exec("ZDIFF", "1", "a", "WEIGHTS", "1")).isEqualTo(err("ERR syntax error"));
        assertThat(t.exec("ZDIFFSTORE", "d", "1", "a", "AGGREGATE", "SUM")).isEqualTo(err("ERR syntax error"));
        assertThat(t.exec("ZUNIONSTORE", "d", "1", "a", "WITHSCORES")).isEqualTo(err("ERR syntax error"));
        assertThat(t.exec("ZINTERCARD", "1", "a", "LIMIT", "-1")).isEqualTo(err("ERR LIMIT can't be negative"));
        assertThat(t.exec("ZINTERCARD", "1", "a", "WEIGHTS", "1")).isEqualTo(err("ERR syntax error"));
        assertThat(t.exec("ZINTER", "2", "a", "str", "AGGREGATE", "AVG"))
                .isEqualTo(err("WRONGTYPE Operation against a key holding the wrong kind of value"));
    }

    @Test
    void resp3NestsWithScoresPairs() {
        fill();
        t.session.setResp(3);
        assertThat(t.exec("ZINTER", "2", "a", "b", "WITHSCORES")).isEqualTo(Reply.array(List.of(
                Reply.array(List.of(Reply.bulk("y"), new Reply.Double(12))),
                Reply.array(List.of(Reply.bulk("z"), new Reply.Double(23))))));
    }
}
