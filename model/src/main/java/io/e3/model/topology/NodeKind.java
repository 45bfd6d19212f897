package io.e3.model.topology;

/** The two kinds of compute node in a SmartNIC-accelerated server (§5.3.2). */
public enum NodeKind {
    /** The server's host processor. */
    HOST,
    /** A SmartNIC's processor: wimpy cores next to the network port. */
    SMARTNIC
}
