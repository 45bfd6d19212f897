package io.e3.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.e3.cli.architecture.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the architecture over the production classes of every module the CLI depends on (all but the controller
 * and the Kubernetes operator, which run in their own runtimes).
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.e3");
    }

    @Test
    void importsEveryModuleOnTheClasspath() {
        assertThat(production.stream().map(c -> c.getPackageName().split("\\.")[2]).distinct())
                .contains("model", "placement", "microservices", "agent", "orchestrator", "loadtest", "simulator",
                        "cli");
    }

    @Test
    void packagesAreFreeOfCycles() {
        ArchitectureRules.noPackageCycles("io.e3").check(production);
    }

    @Test
    void modelPlacementAndOrchestratorUseNoInfrastructureTypes() {
        ArchitectureRules.freeOfInfrastructure("io.e3.model..", "io.e3.placement..", "io.e3.orchestrator..")
                .check(production);
    }
}
