package dev.cellar.core.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The design's module edges and exported packages, checked over api and core. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = ArchitectureRules.productionClasses();

    @TestFactory
    Stream<DynamicTest> moduleEdgesHold() {
        return ArchitectureRules.ALL.stream()
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(CLASSES)));
    }

    @Test
    void modulesExportOnlyTheirApi() throws Exception {
        ModuleExports.assertExportsAsExpected("dev.cellar.api", "dev.cellar.core");
    }

    @Test
    void coreClassesWereImported() {
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("dev.cellar.core.engine")).isTrue();
        org.assertj.core.api.Assertions.assertThat(CLASSES.containPackage("dev.cellar.api")).isTrue();
    }
}
