package io.e3.simulator;

/** How a node's cores take the requests that arrive at it. */
public enum CoreQueueing {
    /**
     * Each request is steered to the node's next core in turn and waits for that core (a FIFO queue per core): what
     * the node agents' execution engine does ({@code emu/Cores.java}), so the default, for agreement with the
     * emulated cluster. When all requests on a node take the same time this is exactly {@link #SHARED_FIFO}: the first
     * core to be free is then always the one that took the request c places before.
     */
    ROUND_ROBIN,
    /**
     * One FIFO queue in front of all the node's cores: a request starts on the first core to be free (an M/D/c
     * queue for Poisson arrivals). Never leaves a core idle while a request waits.
     */
    SHARED_FIFO
}
