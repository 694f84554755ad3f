package dev.cellar.core.persistence;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;
import dev.cellar.spi.persistence.PropagatedWrite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A test provider that loads a scripted data set and records the write stream it receives. */
public final class RecordingProvider implements PersistenceProvider {
    /** What the next engine loads. */
    public static volatile Consumer<LoadSink> toLoad = sink -> {};
    /** Writes received by the last engine. */
    public static final List<PropagatedWrite> WRITES = Collections.synchronizedList(new ArrayList<>());
    /** Calls of flushBatch and close. */
    public static volatile int flushes;
    public static volatile boolean closed;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public PersistenceEngine create(PersistenceContext context) {
        WRITES.clear();
        flushes = 0;
        closed = false;
        return new PersistenceEngine() {
            @Override
            public void load(LoadSink sink) {
                toLoad.accept(sink);
            }

            @Override
            public void write(PropagatedWrite write) {
                WRITES.add(write);
            }

            @Override
            public void flushBatch() {
                flushes++;
            }

            @Override
            public Map<String, String> info() {
                return Map.of("recording_writes", Integer.toString(WRITES.size()));
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    /** A string value for {@link LoadSink#put}. */
    public static DataValue.StringData string(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new DataValue.StringData() {
            @Override
            public byte[] bytes() {
                return b;
            }

            @Override
            public String encoding() {
                return "raw";
            }
        };
    }
}
