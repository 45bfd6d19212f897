package io.e3.cli;

import io.e3.model.topology.AddressPlan;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --address-block B}, for every command that runs part of a cluster or talks to one on loopback. A command
 * with another default than {@link AddressPlan#DEFAULT_SECOND_OCTET} creates the mixin itself with
 * {@link #AddressBlockOption(int)}; picocli then shows that default in the help.
 */
final class AddressBlockOption {

    @Option(names = "--address-block", paramLabel = "B",
            description = "The cluster's loopback block 127.B.0.0/16, B in [1, 254]: the switch on 127.B.0.1, the "
                    + "controller on 127.B.0.2, compute nodes from 127.B.1.0 in manifest order "
                    + "(default: ${DEFAULT-VALUE}).")
    int block;

    AddressBlockOption() {
        this(AddressPlan.DEFAULT_SECOND_OCTET);
    }

    AddressBlockOption(int defaultBlock) {
        this.block = defaultBlock;
    }

    int block() {
        return block;
    }

    /** Adds to {@code problems} why the block given is not one, if it is not. */
    void check(List<String> problems) {
        if (block < 1 || block > 254) {
            problems.add("--address-block: must be in [1, 254] (the cluster listens on 127.B.0.0/16), got " + block);
        }
    }
}
