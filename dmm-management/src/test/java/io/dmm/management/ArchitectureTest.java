package io.dmm.management;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture rules of dmm-management: its packages form no cycle, and it reaches the
 * runtime only through dmm-core's public runtime API, never a stack (stacks are the runtime's).
 */
class ArchitectureTest {
    private static JavaClasses management;

    @BeforeAll
    static void importManagement() {
        management = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.dmm.management");
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.dmm.(**)").should().beFreeOfCycles().check(management);
    }

    @Test
    void namesNoStack() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.dmm.stack..").check(management);
    }
}
