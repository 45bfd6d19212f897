package io.e3.cli.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.e3.cli.architecture.cycle.a.Left;
import io.e3.cli.architecture.cycle.b.Right;
import io.e3.cli.architecture.pure.Clean;
import io.e3.cli.architecture.pure.UsesVertx;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules {@code ArchitectureTest} checks can fail: each one is shown a class that breaks it. */
class ArchitectureRulesTest {

    @Test
    void packageCycleRuleFailsOnTwoPackagesThatUseEachOther() {
        JavaClasses classes = new ClassFileImporter().importClasses(Left.class, Right.class);
        assertThatThrownBy(() -> ArchitectureRules.noPackageCycles("io.e3.cli.architecture").check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected: Slice cycle.a -> \n                Slice cycle.b -> \n"
                        + "                Slice cycle.a");
    }

    @Test
    void packageCycleRulePassesWithoutACycle() {
        JavaClasses classes = new ClassFileImporter().importClasses(Left.class, Clean.class);
        assertThatCode(() -> ArchitectureRules.noPackageCycles("io.e3.cli.architecture").check(classes))
                .doesNotThrowAnyException();
    }

    @Test
    void infrastructureRuleFailsOnAVertxTypeInAPurePackage() {
        JavaClasses classes = new ClassFileImporter().importClasses(UsesVertx.class, Clean.class);
        assertThatThrownBy(() -> ArchitectureRules.freeOfInfrastructure("io.e3.cli.architecture.pure..")
                .check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("UsesVertx")
                .hasMessageContaining("io.vertx.core.Vertx")
                .hasMessageNotContaining("Clean");
    }
}
