package io.e3.model.telemetry;

import java.util.Objects;

/**
 * What one instance did during one heartbeat period.
 *
 * @param instanceId         the instance, e.g. {@code iot-ts/ema.3}
 * @param requests           requests it completed in the period
 * @param errors             requests it failed in the period
 * @param meanExecutionNanos mean execution time of those requests (emulated time, so comparable across nodes); 0
 *                           when it completed none
 * @param cpuShare           share of one core it kept busy over the period, in [0, cores]
 */
public record InstanceStats(String instanceId, int requests, int errors, long meanExecutionNanos, float cpuShare) {

    public InstanceStats {
        Objects.requireNonNull(instanceId, "instanceId");
        if (requests < 0 || errors < 0 || meanExecutionNanos < 0 || !(cpuShare >= 0) || Float.isInfinite(cpuShare)) {
            throw new IllegalArgumentException(instanceId + ": counts, time and CPU share must be >= 0 and finite");
        }
    }
}
