package io.e3.placement.constraint;

import io.e3.model.topology.ComputeNode;

import java.util.Locale;

/** How constraint reasons name nodes and figures. */
final class Describe {

    private Describe() {
    }

    /** {@code smartnic s3/nic0} or {@code host s3/host}. */
    static String node(ComputeNode node) {
        return node.kind().name().toLowerCase(Locale.ROOT) + " " + node.id();
    }

    static String cores(double cores) {
        return String.format(Locale.ROOT, "%.2f", cores);
    }
}
