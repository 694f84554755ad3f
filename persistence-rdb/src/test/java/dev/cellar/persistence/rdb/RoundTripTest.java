package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.Model.b;
import static dev.cellar.persistence.rdb.Model.canon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cellar's writer read back by Cellar's reader, the codec on its own, and check-rdb. */
class RoundTripTest {
    private final DataSet data = new DataSet(4_000_000_000_000L);

    @Test
    @DisplayName("every option combination round-trips the data set across databases, with idle and freq skipped")
    void writerThenReader(@TempDir Path dir) throws IOException {
        for (boolean compression : new boolean[] {false, true}) {
            for (boolean checksum : new boolean[] {true, false}) {
                Model.Snapshot snap = data.snapshot(3);
                snap.put(15, "other", RdbValues.string(b("x")), -1);
                Model.Snapshot withLru = new Model.Snapshot(16) {
                    @Override
                    public void forEach(int db, EntryVisitor v) {
                        snap.forEach(db, (k, val, exp, idle, freq) -> v.entry(k, val, exp, 5000, 7));
                    }

                    @Override
                    public long size(int db) {
                        return snap.size(db);
                    }

                    @Override
                    public long expiresSize(int db) {
                        return snap.expiresSize(db);
                    }
                };
                Path f = dir.resolve("rt-" + compression + checksum + ".rdb");
                new RdbWriter(RdbWriter.Options.defaults().withCompression(compression).withChecksum(checksum)).writeFile(withLru, f);
                Model.Sink sink = new Model.Sink();
                RdbReader.Result r = new RdbReader(RdbReader.Options.defaults().withClock(Model.clockAt(0))).read(f, sink);
                assertThat(r.checksum()).isEqualTo(checksum ? RdbReader.ChecksumStatus.OK : RdbReader.ChecksumStatus.DISABLED);
                assertThat(r.keysPerDb()).containsEntry(3, (long) data.keys.size()).containsEntry(15, 1L);
                for (DataSet.Key k : data.keys.values()) {
                    assertThat(canon(sink.db(3).get(k.name()).value())).as(k.name()).isEqualTo(canon(k.value()));
                    assertThat(sink.db(3).get(k.name()).expireAt()).isEqualTo(k.expireAt());
                }
                if (compression) {
                    assertThat(Files.size(f)).isLessThan(Files.size(dir.resolve("rt-false" + checksum + ".rdb")) - 90_000);
                }
            }
        }
    }

    @Test
    @DisplayName("lists are cut into quicklist nodes of at most 8 KB (list-max-listpack-size -2)")
    void quicklistNodes() throws Exception {
        DataValue list = data.keys.get("list:big").value();
        RdbOutput out = RdbOutput.buffer();
        new ValueWriter(false, -2).writeValue(out, RdbConstants.TYPE_LIST_QUICKLIST_2, list);
        RdbInput in = RdbInput.of(out.toByteArray());
        long nodes = ValueReader.readLength(in, "nodes");
        assertThat(nodes).isGreaterThan(30);
        long total = 0;
        for (long i = 0; i < nodes; i++) {
            assertThat(ValueReader.readLength(in, "container")).isEqualTo(2);
            byte[] lp = ValueReader.readString(in, "node");
            assertThat(lp.length).isLessThanOrEqualTo(8192);
            total += Listpack.decode(lp).size();
        }
        assertThat(total).isEqualTo(20_000);
        assertThat(in.atEnd()).isTrue();
    }

    @Test
    @DisplayName("the codec is found by ServiceLoader as 'rdb' and round-trips every value")
    void codec() {
        ValueCodec codec = ServiceLoader.load(ValueCodec.class).stream().map(ServiceLoader.Provider::get)
                .filter(c -> c.name().equals("rdb")).findFirst().orElseThrow();
        for (DataSet.Key k : data.keys.values()) {
            assertThat(canon(codec.restore(codec.dump(k.value())))).as(k.name()).isEqualTo(canon(k.value()));
        }
    }

    @Test
    @DisplayName("restore takes a Redis 7.2 set-listpack payload (version 11) and refuses version 13, bad CRC, bad data")
    void codecVersions() {
        RdbValueCodec codec = new RdbValueCodec();
        byte[] lp = new Listpack.Builder().add(b("a")).add(b("7")).build();
        byte[] v11 = payload(11, CorruptionTest.concat(new byte[] {20, (byte) lp.length}, lp));
        assertThat(canon(codec.restore(v11)).value()).isEqualTo(new java.util.TreeSet<>(java.util.Set.of("a", "7")));
        assertThatThrownBy(() -> codec.restore(payload(13, new byte[] {0, 1, 'x'})))
                .hasMessage(RdbValueCodec.BAD_VERSION_OR_CHECKSUM);
        assertThatThrownBy(() -> codec.restore(new byte[] {1, 2, 3})).hasMessage(RdbValueCodec.BAD_VERSION_OR_CHECKSUM);
        assertThatThrownBy(() -> codec.restore(payload(10, new byte[] {0, 5, 'x'})))
                .hasMessage(RdbValueCodec.BAD_DATA_FORMAT).hasRootCauseInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> codec.restore(payload(10, new byte[] {2, 0})))
                .hasMessage(RdbValueCodec.BAD_DATA_FORMAT);
    }

    static byte[] payload(int version, byte[] body) {
        byte[] p = new byte[body.length + 10];
        System.arraycopy(body, 0, p, 0, body.length);
        p[body.length] = (byte) version;
        p[body.length + 1] = (byte) (version >>> 8);
        Bytes.putLongLE(p, body.length + 2, Crc64.update(0, p, 0, body.length + 2));
        return p;
    }

    @Test
    @DisplayName("check-rdb: exit 0 with version, AUX, databases and counts; exit 1 with the offset on corruption")
    void checkRdb(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.rdb");
        Files.write(good, FixturesTest.fixture("all-encodings.rdb"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = RdbCheck.run(new String[] {good.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8),
                Model.clockAt(FixturesTest.DAY_AFTER));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        assertThat(out).contains("RDB version 10", "AUX FIELD redis-ver = '7.0.15'", "Selecting DB ID 15", "Checksum OK",
                "RDB looks OK", "811 keys read", "157 expires", "153 already expired", "db 3: 269 keys");

        Path bad = dir.resolve("bad.rdb");
        Files.write(bad, FixturesTest.fixture("corrupt_ziplist.rdb"));
        buf.reset();
        rc = RdbCheck.run(new String[] {bad.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8),
                Model.clockAt(0));
        out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).isEqualTo(1);
        assertThat(out).contains("RDB ERROR DETECTED", "[offset 488]", "integrity check failed", "key:000000000091");

        buf.reset();
        assertThat(RdbCheck.run(new String[] {dir.resolve("missing.rdb").toString()},
                new PrintStream(buf, true, StandardCharsets.UTF_8), Model.clockAt(0))).isEqualTo(1);
    }
}
