package io.e3.cli.architecture.pure;

import io.vertx.core.Vertx;

/** Fixture: a class of a would-be pure package that holds a Vert.x type, for {@code ArchitectureRulesTest}. */
public final class UsesVertx {

    private Vertx vertx;

    public Vertx vertx() {
        return vertx;
    }
}
