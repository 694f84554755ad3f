package dev.cellar.conformance;

import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The description of a persistence backend under test: what {@link PersistenceConformance#backend()}
 * returns. It names the provider, lists its capabilities, says how to configure it for a directory
 * and which files in the directory hold its data.
 *
 * <pre>{@code
 * PersistenceBackend.named("aof")
 *         .capabilities(Capability.DURABLE_ON_EVERY_WRITE, Capability.SURVIVES_TRUNCATED_TAIL)
 *         .setting("appendfsync", "always")
 *         .dataFiles(dir -> List.of(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof")))
 *         .build();
 * }</pre>
 */
public final class PersistenceBackend {
    private final String name;
    private final Set<Capability> declared;
    private final Set<Capability> capabilities;
    private final Map<String, String> settings;
    private final Function<Path, List<Path>> dataFiles;
    private final Function<Path, List<Path>> snapshotFiles;
    private final BiConsumer<Path, FileFaults> faultInjection;

    private PersistenceBackend(Builder b) {
        this.name = b.name;
        this.declared = Collections.unmodifiableSet(EnumSet.copyOf(b.capabilities));
        this.capabilities = Collections.unmodifiableSet(EnumSet.copyOf(Capability.closure(b.capabilities)));
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(b.settings));
        this.dataFiles = b.dataFiles;
        this.snapshotFiles = b.snapshotFiles == null ? b.dataFiles : b.snapshotFiles;
        this.faultInjection = b.faultInjection;
        if (capabilities.contains(Capability.FAULT_INJECTION) && faultInjection == null) {
            throw new IllegalArgumentException("backend '" + name + "' declares FAULT_INJECTION but gives no"
                    + " faultInjection(...) hook to connect the kit's FileFaults to its engine");
        }
    }

    /** Starts the description of the provider named {@code providerName} (the {@code cellar-persistence} value). */
    public static Builder named(String providerName) {
        return new Builder(providerName);
    }

    /** The provider's name, the value of the setting {@code cellar-persistence}. */
    public String name() {
        return name;
    }

    /** The capabilities as declared. */
    public Set<Capability> declaredCapabilities() {
        return declared;
    }

    /** The declared capabilities with everything they imply. */
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** Whether the backend has {@code capability}, declared or implied. */
    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /** The settings besides {@code dir} and {@code cellar-persistence}. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The configuration of a store on {@code dir}, reading time from {@code clock}. */
    public CellarConfig config(Path dir, CellarClock clock) {
        CellarConfig.Builder builder = CellarConfig.builder().dir(dir).persistence(name).clock(clock);
        settings.forEach(builder::set);
        return builder.build();
    }

    /**
     * The files that hold the data in {@code dir}, in the order they are written: the last one is
     * the one a log appends to (the kit truncates it to simulate a torn append).
     */
    public List<Path> dataFiles(Path dir) {
        return List.copyOf(dataFiles.apply(dir));
    }

    /** The files {@code SAVE} and {@code BGSAVE} produce in {@code dir}; opening a directory holding only them loads the snapshot. */
    public List<Path> snapshotFiles(Path dir) {
        return List.copyOf(snapshotFiles.apply(dir));
    }

    /** Connects {@code faults} to the engine that will be opened on {@code dir}. */
    void injectFaults(Path dir, FileFaults faults) {
        faultInjection.accept(dir, faults);
    }

    @Override
    public String toString() {
        return "backend '" + name + "' " + declared;
    }

    /** Every regular file under {@code dir}, sorted by path: the default for {@link Builder#dataFiles}. */
    public static List<Path> allFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A builder of {@link PersistenceBackend}. */
    public static final class Builder {
        private final String name;
        private final EnumSet<Capability> capabilities = EnumSet.noneOf(Capability.class);
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Function<Path, List<Path>> dataFiles = PersistenceBackend::allFiles;
        private Function<Path, List<Path>> snapshotFiles;
        private BiConsumer<Path, FileFaults> faultInjection;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "providerName");
        }

        /** Declares capabilities (what they imply is added by the kit). */
        public Builder capabilities(Capability... declared) {
            capabilities.addAll(List.of(declared));
            return this;
        }

        /** A setting the backend needs, by its Redis name ({@code appendfsync}, {@code save}, ...). */
        public Builder setting(String settingName, String value) {
            settings.put(settingName, value);
            return this;
        }

        /** Which files hold the data in a directory; every regular file by default. */
        public Builder dataFiles(Function<Path, List<Path>> filesInDirectory) {
            this.dataFiles = Objects.requireNonNull(filesInDirectory);
            return this;
        }

        /** Which files a snapshot consists of, when not all the data files. */
        public Builder snapshotFiles(Function<Path, List<Path>> filesInDirectory) {
            this.snapshotFiles = Objects.requireNonNull(filesInDirectory);
            return this;
        }

        /**
         * How to make the engine that opens a directory do its file I/O through the kit's
         * {@link FileFaults}; required with {@link Capability#FAULT_INJECTION}. The hook is called
         * before the store on that directory is opened.
         */
        public Builder faultInjection(BiConsumer<Path, FileFaults> connect) {
            this.faultInjection = Objects.requireNonNull(connect);
            return this;
        }

        /** The description. */
        public PersistenceBackend build() {
            return new PersistenceBackend(this);
        }
    }
}
