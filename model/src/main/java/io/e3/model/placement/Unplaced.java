package io.e3.model.placement;

import io.e3.model.app.Instance;

import java.util.List;
import java.util.Objects;

/**
 * An instance no node would take, with why: one reason per class of node that refused it, each stating what was
 * asked against what was free ("smartnic s3/nic0: free memory 512 MiB < 2048 MiB asked").
 *
 * @param instance the instance
 * @param reasons  at least one reason
 */
public record Unplaced(Instance instance, List<String> reasons) {

    public Unplaced {
        Objects.requireNonNull(instance, "instance");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException(instance.id() + ": an unplaced instance needs a reason");
        }
    }
}
