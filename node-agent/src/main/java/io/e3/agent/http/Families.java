package io.e3.agent.http;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * A collector of metrics read at scrape time from the counters the runtime keeps anyway (no second bookkeeping on the
 * data path). Names follow Prometheus conventions: prefix {@code e3_}, base units, {@code _total} on counters.
 */
public final class Families extends Collector {

    private final List<Family> families = new ArrayList<>();

    private record Family(String name, String help, boolean counter, DoubleSupplier value) {
    }

    /** A counter; {@code name} without the {@code _total} suffix, which the exposition adds. */
    public Families counter(String name, String help, DoubleSupplier value) {
        families.add(new Family(name, help, true, value));
        return this;
    }

    public Families gauge(String name, String help, DoubleSupplier value) {
        families.add(new Family(name, help, false, value));
        return this;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>(families.size());
        for (Family f : families) {
            double v = f.value.getAsDouble();
            out.add(f.counter ? new CounterMetricFamily(f.name, f.help, v) : new GaugeMetricFamily(f.name, f.help, v));
        }
        return out;
    }
}
