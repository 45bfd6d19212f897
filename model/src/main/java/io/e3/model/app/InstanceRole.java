package io.e3.model.app;

/** Whether an instance serves requests or stands by for one that does (§5.4.5). */
public enum InstanceRole {
    PRIMARY,
    BACKUP
}
