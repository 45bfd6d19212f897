package io.e3.agent.http;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The Prometheus text format (0.0.4) of a registry. */
public final class Exposition {

    public static final String CONTENT_TYPE = TextFormat.CONTENT_TYPE_004;

    private Exposition() {
    }

    public static String text(CollectorRegistry registry) {
        StringWriter w = new StringWriter();
        try {
            TextFormat.write004(w, registry.metricFamilySamples());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
