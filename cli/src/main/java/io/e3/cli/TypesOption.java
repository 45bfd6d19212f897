package io.e3.cli;

import io.e3.model.app.MicroserviceType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --types TYPE[,TYPE...]}, for the benchmarks that measure some microservice types. A command whose default is
 * not all of them creates the mixin itself with {@link #TypesOption(String)}; picocli then shows that default.
 */
final class TypesOption {

    static final String ALL = "all";

    @Option(names = "--types", paramLabel = "TYPE[,TYPE...]",
            description = "Types to measure, by manifest name, or all (default: ${DEFAULT-VALUE}).")
    String types;

    TypesOption() {
        this(ALL);
    }

    TypesOption(String defaultTypes) {
        this.types = defaultTypes;
    }

    /** The types asked for, in the order given; adds to {@code problems} every name that is not one. */
    List<MicroserviceType> chosen(List<String> problems) {
        if (types.strip().equals(ALL)) {
            return Arrays.asList(MicroserviceType.values());
        }
        Set<MicroserviceType> chosen = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : types.split(",")) {
            MicroserviceType.byManifestName(name.strip()).ifPresentOrElse(chosen::add, () -> unknown.add(name));
        }
        if (!unknown.isEmpty()) {
            problems.add("--types: unknown type(s) " + String.join(", ", unknown) + "; known: "
                    + String.join(", ", MicroserviceType.manifestNames()));
        }
        return List.copyOf(chosen);
    }
}
