package io.e3.model.app;

import java.util.Objects;

/**
 * One deployable instance of a service: a primary replica or shard, or a backup of one.
 *
 * <p>Ids are {@code <app>/<service>.<ordinal>} for a primary and {@code <primary id>.backup<j>} for its j-th backup
 * (j from 1). A dot never occurs in app or service names, so ids cannot collide.
 *
 * @param id      unique in the cluster
 * @param app     the application it belongs to
 * @param service the service it is an instance of
 * @param type    the microservice it runs
 * @param ordinal the replica or shard number, from 0
 * @param role    primary or backup
 * @param primary for a backup, the id of the primary it backs up; {@code null} for a primary
 * @param demand  what it asks of its node
 */
public record Instance(String id, String app, String service, MicroserviceType type, int ordinal, InstanceRole role,
                       String primary, ResourceDemand demand) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(demand, "demand");
        if ((role == InstanceRole.BACKUP) != (primary != null)) {
            throw new IllegalArgumentException(id + ": a backup names its primary, a primary names none");
        }
    }

    public static Instance primary(String app, ServiceSpec service, int ordinal) {
        return new Instance(app + "/" + service.name() + "." + ordinal, app, service.name(), service.type(), ordinal,
                InstanceRole.PRIMARY, null, service.demand());
    }

    /** The {@code number}-th backup (from 1) of {@code primary}. */
    public static Instance backupOf(Instance primary, int number) {
        return new Instance(primary.id() + ".backup" + number, primary.app(), primary.service(), primary.type(),
                primary.ordinal(), InstanceRole.BACKUP, primary.id(), primary.demand());
    }

    public boolean isBackup() {
        return role == InstanceRole.BACKUP;
    }
}
