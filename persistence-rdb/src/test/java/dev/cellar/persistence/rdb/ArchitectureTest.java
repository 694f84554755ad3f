package dev.cellar.persistence.rdb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The design's edge for this module: it sees only the api (and slf4j). */
class ArchitectureTest {
    static final ArchRule RDB_SEES_ONLY_API = classes().that().resideInAPackage("dev.cellar.persistence.rdb..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.cellar.api..", "dev.cellar.spi..",
                    "dev.cellar.persistence.rdb..", "org.slf4j..")
            .as("persistence-rdb must depend only on the api (and slf4j)");

    @Test
    void rdbSeesOnlyApi() {
        RDB_SEES_ONLY_API.check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cellar.persistence.rdb"));
    }
}
