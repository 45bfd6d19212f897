package io.e3.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.agent.emu.Emulation;
import io.e3.agent.exec.Envelope;

/**
 * The latencies a stage adds to its answer when the envelope asks for a trace ({@code "trace": true}), so that a
 * person trying an app by hand ({@code e3 call}) sees where the time went. Both are emulated time (real time divided
 * by D, as every figure the agent reports), in microseconds to one decimal:
 *
 * <ul>
 *   <li>{@code execMicros}: from the request's arrival at the instance to the emulated completion of its own work,
 *       queueing on the node's cores included;</li>
 *   <li>{@code latencyMicros}: from its arrival to the answer, which also waits for the instance's backups and for
 *       every stage downstream, hops included.</li>
 * </ul>
 *
 * An untraced envelope's answer is left as it is: load keeps the compact answer it always had.
 */
final class StageTrace {

    private StageTrace() {
    }

    /**
     * Adds the latencies to {@code answer} if {@code envelope} asks for a trace; does nothing for a null (unparsable)
     * or untraced envelope.
     *
     * @param arrivalNanos when the request arrived ({@link System#nanoTime()})
     * @param doneNanos    when its own work was complete in emulated time, at or after arrival
     * @param nowNanos     when the answer leaves, at or after {@code doneNanos}
     */
    static void stamp(ObjectNode answer, Envelope envelope, Emulation emulation, long arrivalNanos, long doneNanos,
                      long nowNanos) {
        if (envelope == null || !envelope.trace()) {
            return;
        }
        answer.put("execMicros", micros(emulation, doneNanos - arrivalNanos));
        answer.put("latencyMicros", micros(emulation, nowNanos - arrivalNanos));
    }

    /** Emulated microseconds that {@code realNanos} stand for, to one decimal. */
    private static double micros(Emulation emulation, long realNanos) {
        return Math.round(emulation.emulatedSeconds(Math.max(0, realNanos)) * 1e7) / 10.0;
    }
}
