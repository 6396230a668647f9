package io.dmm.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture rules of dmm-core (issue 13), checked on its compiled classes: its packages
 * form no cycle, and it names no stack and no management class — stacks are found through the
 * SPI and asked for their capabilities, and the management plane plugs in from its own module.
 */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.dmm.core");
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.dmm.(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void namesNoStack() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.dmm.stack..").check(core);
    }

    @Test
    void namesNoManagementClass() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.dmm.management..").check(core);
    }
}
