package io.e3.model.app;

/** How a service's instances relate to each other. */
public enum Scaling {
    /** Interchangeable copies; any instance can serve any request. */
    REPLICATED,
    /** Each instance owns one partition of the key space; requests reach it by shard key. */
    SHARDED
}
