package io.e3.model.manifest;

/** A validated manifest document: an application or a cluster. */
public sealed interface Manifest permits AppManifest, ClusterManifest {

    /** The {@code apiVersion} every E3 manifest declares. */
    String API_VERSION = "e3.io/v1alpha1";

    /** Where the document came from, with its first line: {@code examples/apps/iot-ts.yaml:1}. */
    String origin();

    /** {@code metadata.name}. */
    String name();

    /** {@code MicroserviceApp} or {@code Cluster}. */
    String kind();
}
