package io.e3.orchestrator;

import java.util.List;
import java.util.Objects;

/**
 * Something the failure detector ({@link Membership}) did other than declaring a node down: holding off in a
 * disruption, excusing a pause, readmitting nodes.
 *
 * @param atMillis when, on the clock {@link Membership#check} was given
 * @param kind     what
 * @param nodes    the nodes concerned: the silent ones of a disruption, the readmitted ones; empty for a pause
 * @param detail   why, for logs and events
 */
public record MembershipNotice(long atMillis, Kind kind, List<String> nodes, String detail) {

    public enum Kind {
        /** Too many nodes silent at once to believe they all failed: none is declared down while it lasts. */
        DISRUPTION,
        /** The disruption is over; every node's silence counts from then. */
        DISRUPTION_OVER,
        /** The checks themselves were held up, or every node went silent at once: that silence is not counted. */
        PAUSE_EXCUSED,
        /** Nodes declared down heartbeat again and are back up. */
        READMITTED
    }

    public MembershipNotice {
        Objects.requireNonNull(kind, "kind");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(detail, "detail");
    }
}
