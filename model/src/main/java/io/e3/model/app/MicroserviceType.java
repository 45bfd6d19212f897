package io.e3.model.app;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The 16 microservices of Table 5.2, with the stateful flag (column S) and description of that table. */
public enum MicroserviceType {
    IPSEC("ipsec", "IPsec", false, "Authenticates (SHA-1) and encrypts (AES-CBC-128) NATv4"),
    BM25("bm25", "BM25", false, "Search engine ranking function"),
    NATV4("natv4", "NATv4", false, "IPv4 network address translation using DIR-24-8-BASIC"),
    NIDS("nids", "NIDS", false, "Network intrusion detection with Aho-Corasick parallel match"),
    COUNT("count", "Count", true, "Item frequency counting based on a bitmap"),
    EMA("ema", "EMA", true, "Exponential moving average for data streams"),
    KVS("kvs", "KVS", true, "Hash-table-based in-memory key-value store"),
    FLOW_MONITOR("flow-monitor", "Flow monitor", true, "Flow monitoring using a count-min sketch"),
    DDOS("ddos", "DDoS", true, "Entropy-based DDoS detection"),
    RECOMMEND("recommend", "Recommend", true, "Recommendation system using collaborative filtering"),
    KNN("knn", "KNN", false, "Classifier using the K-nearest-neighbours algorithm"),
    SPIKE("spike", "Spike", true, "Spike detector for a data stream using Z-score"),
    BAYES("bayes", "Bayes", false, "Naive Bayes classifier based on maximum a posteriori"),
    API_GATEWAY("api-gateway", "API gateway", true, "API rate limiter and authentication gateway"),
    TOP_RANKER("top-ranker", "Top ranker", true, "Top-K ranker using quicksort"),
    SQL("sql", "SQL", true, "In-memory SQL database");

    private final String manifestName;
    private final String displayName;
    private final boolean stateful;
    private final String description;

    MicroserviceType(String manifestName, String displayName, boolean stateful, String description) {
        this.manifestName = manifestName;
        this.displayName = displayName;
        this.stateful = stateful;
        this.description = description;
    }

    /** The name used in manifests, e.g. {@code flow-monitor}. */
    public String manifestName() {
        return manifestName;
    }

    /** The name Table 5.2 uses, e.g. {@code Flow monitor}. */
    public String displayName() {
        return displayName;
    }

    /** Whether the service keeps state in reliable collections (Table 5.2, column S). */
    public boolean stateful() {
        return stateful;
    }

    public String description() {
        return description;
    }

    /** The type with this manifest name, compared without regard to case. */
    public static Optional<MicroserviceType> byManifestName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.manifestName.equals(wanted)).findFirst();
    }

    public static List<String> manifestNames() {
        return Arrays.stream(values()).map(MicroserviceType::manifestName).toList();
    }
}
