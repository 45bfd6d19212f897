package io.e3.model.manifest;

import io.e3.model.app.AppSpec;

import java.util.Objects;

/** A {@code kind: MicroserviceApp} document. */
public record AppManifest(String origin, AppSpec app) implements Manifest {

    public static final String KIND = "MicroserviceApp";

    public AppManifest {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(app, "app");
    }

    @Override
    public String name() {
        return app.name();
    }

    @Override
    public String kind() {
        return KIND;
    }
}
