package dev.cellar.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's own parts: capability implication, requirement matching, the fault seam, the clock. */
class KitMachineryTest {

    @Test
    void atomicReplacementImpliesSnapshots() {
        PersistenceBackend backend = PersistenceBackend.named("x").capabilities(Capability.ATOMIC_REPLACEMENT).build();
        assertThat(backend.declaredCapabilities()).containsExactly(Capability.ATOMIC_REPLACEMENT);
        assertThat(backend.capabilities()).containsExactlyInAnyOrder(Capability.ATOMIC_REPLACEMENT,
                Capability.POINT_IN_TIME_SNAPSHOT);
        assertThat(Capability.closure(Set.of(Capability.DURABLE_ON_EVERY_WRITE)))
                .containsExactly(Capability.DURABLE_ON_EVERY_WRITE);
    }

    @Test
    void faultInjectionWithoutAHookIsRefusedWhenDescribed() {
        assertThatThrownBy(() -> PersistenceBackend.named("x").capabilities(Capability.FAULT_INJECTION).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faultInjection");
    }

    @Require(present = Capability.DURABLE_ON_EVERY_WRITE)
    static class Group {
        @Require(absent = Capability.POINT_IN_TIME_SNAPSHOT)
        void refusalTwin() {}

        @Require(present = Capability.ATOMIC_REPLACEMENT)
        void needsAtomicSaves() {}
    }

    @Test
    void requirementsOfTheTestAndItsGroupCombine() throws Exception {
        PersistenceBackend log = PersistenceBackend.named("log").capabilities(Capability.DURABLE_ON_EVERY_WRITE).build();
        PersistenceBackend rdb = PersistenceBackend.named("rdb").capabilities(Capability.ATOMIC_REPLACEMENT).build();
        var twin = Group.class.getDeclaredMethod("refusalTwin");
        var atomic = Group.class.getDeclaredMethod("needsAtomicSaves");
        assertThat(RequireExtension.mismatch(log, twin, Group.class)).isNull();
        assertThat(RequireExtension.mismatch(log, atomic, Group.class))
                .isEqualTo("backend 'log' [DURABLE_ON_EVERY_WRITE] lacks [ATOMIC_REPLACEMENT], which this test requires");
        assertThat(RequireExtension.mismatch(rdb, twin, Group.class)).contains("lacks [DURABLE_ON_EVERY_WRITE]");
        PersistenceBackend both = PersistenceBackend.named("both")
                .capabilities(Capability.DURABLE_ON_EVERY_WRITE, Capability.ATOMIC_REPLACEMENT).build();
        assertThat(RequireExtension.mismatch(both, twin, Group.class))
                .isEqualTo("backend 'both' [ATOMIC_REPLACEMENT, DURABLE_ON_EVERY_WRITE] has [POINT_IN_TIME_SNAPSHOT];"
                        + " this test checks the behaviour without it");
    }

    @Test
    void aFullDiskWritesWhatFitsThenFails(@TempDir Path dir) throws IOException {
        FileFaults faults = new FileFaults();
        Path file = dir.resolve("f");
        try (FileChannel ch = faults.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[10]));
            faults.inject(FileFaults.Fault.DISK_FULL, 4);
            ByteBuffer six = ByteBuffer.wrap(new byte[6]);
            assertThat(ch.write(six)).isEqualTo(4);
            assertThatThrownBy(() -> ch.write(six)).isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left on device").hasMessageContaining(file.toString());
            ch.force(true);
            faults.clear();
            assertThat(ch.write(six)).isEqualTo(2);
        }
        assertThat(Files.size(file)).isEqualTo(16);
        assertThat(faults.failures()).isEqualTo(1);
    }

    @Test
    void aWriteErrorFailsWritesFsyncsAndRenames(@TempDir Path dir) throws IOException {
        FileFaults faults = new FileFaults();
        Path file = dir.resolve("f");
        try (FileChannel ch = faults.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            faults.inject(FileFaults.Fault.WRITE_ERROR);
            assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(new byte[1]))).hasMessageContaining("Input/output error");
            assertThatThrownBy(() -> ch.force(false)).hasMessageContaining("fsync");
            assertThatThrownBy(() -> faults.move(file, dir.resolve("g"))).hasMessageContaining("rename");
        }
        assertThat(Files.exists(file)).isTrue();
        assertThat(faults.failures()).isEqualTo(3);
    }

    @Test
    void theManualClockMovesOnlyWhenTold() {
        ManualClock clock = new ManualClock(1_000);
        long nanos = clock.nanoTime();
        clock.advanceMillis(250);
        assertThat(clock.currentTimeMillis()).isEqualTo(1_250);
        assertThat(clock.nanoTime() - nanos).isEqualTo(250_000_000L);
        assertThat(clock.setMillis(5).currentTimeMillis()).isEqualTo(5);
    }

    @Test
    void theKitModuleExportsOnlyItsPackageAndNeedsOnlyTheApiJUnitAndAssertJ() throws IOException {
        java.lang.module.ModuleDescriptor kit = null;
        var urls = getClass().getClassLoader().getResources("module-info.class");
        while (urls.hasMoreElements()) {
            try (var in = urls.nextElement().openStream()) {
                var d = java.lang.module.ModuleDescriptor.read(in);
                if (d.name().equals("dev.cellar.conformance")) {
                    kit = d;
                }
            }
        }
        assertThat(kit).as("dev.cellar.conformance's descriptor on the class path").isNotNull();
        assertThat(kit.exports()).extracting(java.lang.module.ModuleDescriptor.Exports::source)
                .containsExactly("dev.cellar.conformance");
        assertThat(kit.requires()).extracting(java.lang.module.ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("java.base", "dev.cellar.api", "org.junit.jupiter.api", "org.assertj.core");
    }
}
