package io.e3.cli.architecture.pure;

import java.util.List;

/** Fixture: a class of a pure package that uses only the JDK, for {@code ArchitectureRulesTest}. */
public record Clean(List<String> names) {
}
