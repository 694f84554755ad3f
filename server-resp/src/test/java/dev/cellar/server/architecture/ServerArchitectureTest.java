package dev.cellar.server.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.cellar.core.architecture.ArchitectureRules;
import dev.cellar.core.architecture.ModuleExports;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The design's module edges and exports, checked where every module is on the class path: the
 * server sees api, core, Netty and (at run time) the persistence modules.
 */
class ServerArchitectureTest {
    private static final JavaClasses CLASSES = ArchitectureRules.productionClasses();

    @TestFactory
    Stream<DynamicTest> moduleEdgesHold() {
        return ArchitectureRules.ALL.stream()
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(CLASSES)));
    }

    @Test
    void everyModuleExportsOnlyItsApi() throws Exception {
        ModuleExports.assertExportsAsExpected("dev.cellar.api", "dev.cellar.core", "dev.cellar.server",
                "dev.cellar.persistence.rdb", "dev.cellar.persistence.aof", "dev.cellar.persistence.hybrid");
    }

    @Test
    void theServerAndThePersistenceModulesWereImported() {
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("dev.cellar.server")).isTrue();
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("dev.cellar.persistence.rdb")).isTrue();
    }
}
