package dev.cellar.persistence.rdb;

import dev.cellar.conformance.Capability;
import dev.cellar.conformance.FileFaults;
import dev.cellar.conformance.PersistenceBackend;
import dev.cellar.conformance.PersistenceConformance;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;

/** The persistence conformance kit against the RDB provider. */
class RdbConformanceTest extends PersistenceConformance {

    @Override
    protected PersistenceBackend backend() {
        return PersistenceBackend.named("rdb")
                .capabilities(Capability.POINT_IN_TIME_SNAPSHOT, Capability.ATOMIC_REPLACEMENT,
                        Capability.DETECTS_CORRUPTION, Capability.FAULT_INJECTION)
                .dataFiles(dir -> List.of(dir.resolve("dump.rdb")))
                .faultInjection((dir, faults) -> RdbPersistenceProvider.FILES.put(dir.toAbsolutePath().normalize(),
                        new FaultyFiles(faults)))
                .build();
    }

    /** The kit's FileFaults behind the provider's seam. */
    record FaultyFiles(FileFaults faults) implements RdbFiles {
        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return faults.open(file, options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            faults.move(source, target, options);
        }
    }
}
