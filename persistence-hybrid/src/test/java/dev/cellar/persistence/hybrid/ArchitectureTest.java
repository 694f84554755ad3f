package dev.cellar.persistence.hybrid;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The design's edge for this module: it sees the api and the rdb and aof modules, never core. */
class ArchitectureTest {
    static final ArchRule HYBRID_SEES_ONLY_API_RDB_AND_AOF = classes()
            .that().resideInAPackage("dev.cellar.persistence.hybrid..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.cellar.api..", "dev.cellar.spi..",
                    "dev.cellar.persistence.rdb..", "dev.cellar.persistence.aof..", "dev.cellar.persistence.hybrid..")
            .as("persistence-hybrid must depend only on the api and the rdb and aof modules");

    @Test
    void hybridSeesOnlyApiRdbAndAof() {
        HYBRID_SEES_ONLY_API_RDB_AND_AOF.check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cellar.persistence.hybrid"));
    }
}
