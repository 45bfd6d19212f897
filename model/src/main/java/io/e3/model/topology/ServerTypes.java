package io.e3.model.topology;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server types of Table 5.4, built in.
 *
 * <p>Per-node figures come from §5.6's setup: the LiquidIO II SmartNIC has 12 cnMIPS cores and 4 GB of memory; a
 * Type1 server is a Beefy whose NIC is swapped for one LiquidIO (hence 64 + 4 = 68 GB); a Type2 server has a 16-core
 * host with 128 GB and four LiquidIOs (128 + 4 x 4 = 144 GB, 4 x 12 = 48 wimpy cores); a Wimpy server is a host of
 * 32 cnMIPS cores. Bandwidth per SmartNIC is the server's Bw divided over its SmartNICs (20 Gb/s for Type1, 4 x 10
 * Gb/s for Type2).
 */
public final class ServerTypes {

    private static final long GIB = 1024;

    /** Table 5.4 row Beefy: $4,500, 12 BC, 64 GB, 83/201 W, 20 Gb/s. */
    public static final ServerType BEEFY =
            new ServerType("Beefy", 4_500, 83, 201, NodeCapacity.beefy(12, 64 * GIB, 20), 0, null);

    /** Table 5.4 row Wimpy: $2,209, 32 WC, 2 GB, 79/95 W, 20 Gb/s. */
    public static final ServerType WIMPY =
            new ServerType("Wimpy", 2_209, 79, 95, NodeCapacity.wimpy(32, 2 * GIB, 20), 0, null);

    /** Table 5.4 row Type1-SmartNIC: $4,650, 12 BC + 12 WC, 68 GB, 98/222 W, 20 Gb/s. */
    public static final ServerType TYPE1_SMARTNIC = new ServerType("Type1-SmartNIC", 4_650, 98, 222,
            NodeCapacity.beefy(12, 64 * GIB, 20), 1, NodeCapacity.wimpy(12, 4 * GIB, 20));

    /** Table 5.4 row Type2-SmartNIC: $6,750, 16 BC + 48 WC, 144 GB, 145/252 W, 40 Gb/s. */
    public static final ServerType TYPE2_SMARTNIC = new ServerType("Type2-SmartNIC", 6_750, 145, 252,
            NodeCapacity.beefy(16, 128 * GIB, 40), 4, NodeCapacity.wimpy(12, 4 * GIB, 10));

    /** Table 5.4 row SuperBeefy: $12,550, 24 BC, 192 GB, 77/256 W, 80 Gb/s. */
    public static final ServerType SUPERBEEFY =
            new ServerType("SuperBeefy", 12_550, 77, 256, NodeCapacity.beefy(24, 192 * GIB, 80), 0, null);

    /** All built-in types in Table 5.4's order. */
    public static final List<ServerType> ALL = List.of(BEEFY, WIMPY, TYPE1_SMARTNIC, TYPE2_SMARTNIC, SUPERBEEFY);

    private ServerTypes() {
    }

    /** The built-in type with this name, compared without regard to case. */
    public static Optional<ServerType> byName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(t -> t.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    /** The names of all built-in types, for error messages. */
    public static List<String> names() {
        return ALL.stream().map(ServerType::name).toList();
    }
}
