package io.e3.agent.exec;

import io.e3.model.app.MicroserviceType;
import java.util.Objects;

/**
 * What the control API's deploy call asks for.
 *
 * @param id        the instance id, {@code <app>/<service>.<ordinal>[.backup<j>]}
 * @param app       its application
 * @param service   its service
 * @param type      the microservice it runs
 * @param memoryMiB memory it reserves on the node; its reliable collections may not grow past it
 */
public record DeploySpec(String id, String app, String service, MicroserviceType type, long memoryMiB) {

    public DeploySpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(type, "type");
        if (memoryMiB < 1) {
            throw new IllegalArgumentException("memoryMiB must be >= 1, got " + memoryMiB);
        }
    }
}
