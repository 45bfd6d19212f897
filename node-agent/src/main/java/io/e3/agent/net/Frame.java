package io.e3.agent.net;

import java.util.Objects;

/**
 * One data-plane datagram: a request to an instance, its response, or an acknowledgement (§5.4.1). The network header
 * (source, destination, flow) is what the switch routes and hashes on; the request id and instance are what the
 * lossless channels ({@link io.e3.agent.rpc.Endpoint}) work with.
 *
 * @param kind      request, response or ack
 * @param status    for a response, how it went; {@link Status#OK} otherwise
 * @param srcIp     the sender's address
 * @param dstIp     the receiver's address
 * @param flowId    the flow it belongs to, chosen by the sender (like a source port): the switch's ECMP hashes
 *                  {@code (srcIp, dstIp, flowId)}
 * @param requestId unique per sender address; a response and an ack carry the id of their request
 * @param instance  the instance the request is for (a response names the same), at most 255 bytes of UTF-8
 * @param payload   JSON bytes; empty for an ack
 */
public record Frame(Kind kind, Status status, int srcIp, int dstIp, int flowId, long requestId, String instance,
                    byte[] payload) {

    public Frame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(payload, "payload");
    }

    public enum Kind {
        REQUEST, RESPONSE, ACK;

        static final Kind[] VALUES = values();
    }

    /** How a request went, as its response says. */
    public enum Status {
        OK,
        /** The service refused the request: a field is missing or wrong. */
        BAD_REQUEST,
        /** The service failed on it (an exception, a runaway or a memory blow-up): reported, contained. */
        SERVICE_FAILED,
        /** No such instance on the node the request reached (not deployed, undeployed or moved). */
        NO_SUCH_INSTANCE,
        /** The node cannot take it: the instance is failed or the node is shutting down. */
        UNAVAILABLE,
        /** A downstream service could not be reached or did not answer in time. */
        UNREACHABLE;

        static final Status[] VALUES = values();
    }

    public static Frame ack(Frame request) {
        return new Frame(Kind.ACK, Status.OK, request.dstIp, request.srcIp, request.flowId, request.requestId,
                request.instance, new byte[0]);
    }

    public static Frame response(Frame request, Status status, byte[] payload) {
        return new Frame(Kind.RESPONSE, status, request.dstIp, request.srcIp, request.flowId, request.requestId,
                request.instance, payload);
    }
}
