package io.e3.simulator;

/** What the {@link Engine} hands the events that are not part of the data path; each is told the event's time. */
interface EngineHandlers {

    /** An open-loop client request is due. */
    void arrival(long now);

    /** The reply to root call {@code call} reached the client; the call is released after this returns. */
    void completed(int call, long now);

    /** Every live node's heartbeat is due. */
    void heartbeat(long now);

    /** Failure number {@code index} of the configuration happens. */
    void failure(int index, long now);

    /** Load step number {@code index} of the configuration happens. */
    void loadStep(int index, long now);

    /** Migration number {@code index} has moved its instance's state. */
    void migrated(int index, long now);

    /** A progress report is due. */
    void progress(long now);
}
