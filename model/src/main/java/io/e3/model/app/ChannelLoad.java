package io.e3.model.app;

/**
 * The traffic a channel is expected to carry, used by placement to check that a node can take an instance's load
 * and to weigh communication cost.
 *
 * @param requestsPerSecond expected requests per second over the whole channel, at least 0 (0: not stated)
 * @param requestBytes      typical request size in bytes, 1 to {@value #MAX_REQUEST_BYTES} (one UDP datagram)
 */
public record ChannelLoad(double requestsPerSecond, int requestBytes) {

    /** The largest payload of one UDP datagram over IPv4, since every message is one datagram. */
    public static final int MAX_REQUEST_BYTES = 65_507;

    /** 512 B: the request size at which Table 5.1 was measured (§5.3.3). */
    public static final int DEFAULT_REQUEST_BYTES = 512;

    public static final ChannelLoad UNSTATED = new ChannelLoad(0, DEFAULT_REQUEST_BYTES);

    public ChannelLoad {
        if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requestsPerSecond must be >= 0, got " + requestsPerSecond);
        }
        if (requestBytes < 1 || requestBytes > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException(
                    "requestBytes must be in [1, " + MAX_REQUEST_BYTES + "], got " + requestBytes);
        }
    }

    /** Expected traffic in bytes per second. */
    public double bytesPerSecond() {
        return requestsPerSecond * requestBytes;
    }
}
