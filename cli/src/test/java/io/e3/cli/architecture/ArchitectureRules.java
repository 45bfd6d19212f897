package io.e3.cli.architecture;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The architecture rules of DESIGN.md, built once so the real check and its fixtures check the same rule. */
public final class ArchitectureRules {

    /** Packages whose types must stay out of the pure modules: the runtimes convert them at the edge. */
    static final String[] INFRASTRUCTURE = {
        "io.vertx..", "io.quarkus..", "io.fabric8..", "jakarta..", "javax.ws.rs..",
    };

    private ArchitectureRules() {
    }

    /** Every package below {@code root} (one slice each) is free of dependency cycles with its siblings. */
    public static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)")
                .should().beFreeOfCycles()
                .because("a package cycle means two packages can only be understood, tested and moved together");
    }

    /** Classes in {@code packages} (ArchUnit patterns) use no Vert.x, Quarkus, fabric8 or Jakarta/JAX-RS type. */
    public static ArchRule freeOfInfrastructure(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage(INFRASTRUCTURE)
                .because("model, placement and orchestrator are pure logic; the runtimes convert their types at"
                        + " the edge (DESIGN.md)");
    }
}
