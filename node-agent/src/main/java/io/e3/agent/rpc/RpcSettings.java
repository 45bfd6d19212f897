package io.e3.agent.rpc;

/**
 * Timing of the lossless channels, in real milliseconds.
 *
 * @param minRtoMillis     shortest retransmission timeout; a responder acknowledges a request it has not answered
 *                         after half of it
 * @param initialRtoMillis retransmission timeout towards an address with no round-trip sample yet; after samples
 *                         it is {@code srtt + 4·rttvar} (RFC 6298), at least {@code minRtoMillis}; it doubles per
 *                         retransmission up to {@code maxRtoMillis}
 * @param maxRtoMillis     longest retransmission timeout, also the probe interval once a request is acknowledged
 * @param maxAttempts      transmissions without any sign of life from the receiver (an ack or the response) after which
 *                         the caller gets {@link io.e3.agent.net.Frame.Status#UNREACHABLE}
 * @param timeoutMillis    longest a caller waits for a response to an acknowledged request
 */
public record RpcSettings(long minRtoMillis, long initialRtoMillis, long maxRtoMillis, int maxAttempts,
                          long timeoutMillis) {

    public static final RpcSettings DEFAULT = new RpcSettings(4, 50, 400, 8, 60_000);

    public RpcSettings {
        if (minRtoMillis < 1 || initialRtoMillis < minRtoMillis || maxRtoMillis < initialRtoMillis || maxAttempts < 1
                || timeoutMillis < maxRtoMillis) {
            throw new IllegalArgumentException(
                    "need 1 <= minRto <= initialRto <= maxRto <= timeout and maxAttempts >= 1");
        }
    }

    /**
     * How long a responder keeps a response to answer retransmissions: after it, a caller that has not had the
     * response has sent {@link #maxAttempts} probes at most {@link #maxRtoMillis} apart and given up.
     */
    public long retentionMillis() {
        return maxRtoMillis * (maxAttempts + 2L);
    }
}
