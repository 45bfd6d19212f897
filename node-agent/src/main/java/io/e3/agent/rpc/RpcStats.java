package io.e3.agent.rpc;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one endpoint's lossless channels. */
public final class RpcStats {
    public final LongAdder requestsSent = new LongAdder();
    public final LongAdder retransmissions = new LongAdder();
    public final LongAdder unreachable = new LongAdder();
    public final LongAdder requestsReceived = new LongAdder();
    public final LongAdder duplicateRequests = new LongAdder();
    public final LongAdder duplicateResponses = new LongAdder();
    public final LongAdder malformedDatagrams = new LongAdder();
    public final LongAdder misroutedDatagrams = new LongAdder();
}
