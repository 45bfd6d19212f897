package io.e3.microservices.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.Microservice;
import io.e3.microservices.state.ReliableCollections;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Every microservice type of Table 5.2 with what the runtime needs to host it: how to create an instance, the request
 * and response it takes, and how to make realistic random requests. The runtime hosts all types the same way through
 * this catalog.
 */
public final class MicroserviceCatalog {

    /** Random valid requests of one type, about {@code bytes} long when serialised where the type allows. */
    @FunctionalInterface
    public interface RequestSampler {
        ObjectNode sample(RandomGenerator random, int bytes);
    }

    /**
     * One type.
     *
     * @param type           the microservice
     * @param requestSchema  the request, in compact notation ({@code "key"?: string} marks an optional field)
     * @param responseSchema the response, in the same notation
     * @param factory        a new instance over the given state; stateless types ignore the state
     * @param sampler        random valid requests, accepted by an instance on fresh state
     */
    public record Entry(MicroserviceType type, String requestSchema, String responseSchema,
                        Function<ReliableCollections, Microservice> factory, RequestSampler sampler) {

        public Entry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(requestSchema, "requestSchema");
            Objects.requireNonNull(responseSchema, "responseSchema");
            Objects.requireNonNull(factory, "factory");
            Objects.requireNonNull(sampler, "sampler");
        }

        /** Whether instances keep state in reliable collections (Table 5.2, column S). */
        public boolean stateful() {
            return type.stateful();
        }

        /** The Table 5.1 profile of the type. */
        public MicroserviceProfile profile() {
            return MicroserviceProfile.of(type);
        }

        /** A new instance keeping its state, if any, in {@code state}. */
        public Microservice create(ReliableCollections state) {
            return factory.apply(Objects.requireNonNull(state, "state"));
        }

        /** A new instance on fresh, empty state. */
        public Microservice create() {
            return create(new ReliableCollections());
        }
    }

    private static final Map<MicroserviceType, Entry> ENTRIES = new EnumMap<>(MicroserviceType.class);

    static {
        stateless(MicroserviceType.IPSEC, Ipsec.REQUEST_SCHEMA, Ipsec.RESPONSE_SCHEMA, Ipsec::new,
                Ipsec::sampleRequest);
        stateless(MicroserviceType.BM25, Bm25.REQUEST_SCHEMA, Bm25.RESPONSE_SCHEMA, Bm25::new, Bm25::sampleRequest);
        stateless(MicroserviceType.NATV4, Natv4.REQUEST_SCHEMA, Natv4.RESPONSE_SCHEMA, Natv4::new,
                Natv4::sampleRequest);
        stateless(MicroserviceType.NIDS, Nids.REQUEST_SCHEMA, Nids.RESPONSE_SCHEMA, Nids::new, Nids::sampleRequest);
        add(MicroserviceType.COUNT, Count.REQUEST_SCHEMA, Count.RESPONSE_SCHEMA, Count::new, Count::sampleRequest);
        add(MicroserviceType.EMA, Ema.REQUEST_SCHEMA, Ema.RESPONSE_SCHEMA, Ema::new, Ema::sampleRequest);
        add(MicroserviceType.KVS, Kvs.REQUEST_SCHEMA, Kvs.RESPONSE_SCHEMA, Kvs::new, Kvs::sampleRequest);
        add(MicroserviceType.FLOW_MONITOR, FlowMonitor.REQUEST_SCHEMA, FlowMonitor.RESPONSE_SCHEMA, FlowMonitor::new,
                FlowMonitor::sampleRequest);
        add(MicroserviceType.DDOS, Ddos.REQUEST_SCHEMA, Ddos.RESPONSE_SCHEMA, Ddos::new, Ddos::sampleRequest);
        add(MicroserviceType.RECOMMEND, Recommend.REQUEST_SCHEMA, Recommend.RESPONSE_SCHEMA, Recommend::new,
                Recommend::sampleRequest);
        stateless(MicroserviceType.KNN, Knn.REQUEST_SCHEMA, Knn.RESPONSE_SCHEMA, Knn::new, Knn::sampleRequest);
        add(MicroserviceType.SPIKE, Spike.REQUEST_SCHEMA, Spike.RESPONSE_SCHEMA, Spike::new, Spike::sampleRequest);
        stateless(MicroserviceType.BAYES, Bayes.REQUEST_SCHEMA, Bayes.RESPONSE_SCHEMA, Bayes::new,
                Bayes::sampleRequest);
        add(MicroserviceType.API_GATEWAY, ApiGateway.REQUEST_SCHEMA, ApiGateway.RESPONSE_SCHEMA, ApiGateway::new,
                ApiGateway::sampleRequest);
        add(MicroserviceType.TOP_RANKER, TopRanker.REQUEST_SCHEMA, TopRanker.RESPONSE_SCHEMA, TopRanker::new,
                TopRanker::sampleRequest);
        add(MicroserviceType.SQL, Sql.REQUEST_SCHEMA, Sql.RESPONSE_SCHEMA, Sql::new, Sql::sampleRequest);
    }

    private MicroserviceCatalog() {
    }

    private static void add(MicroserviceType type, String request, String response,
                            Function<ReliableCollections, Microservice> factory, RequestSampler sampler) {
        ENTRIES.put(type, new Entry(type, request, response, factory, sampler));
    }

    private static void stateless(MicroserviceType type, String request, String response,
                                  Supplier<Microservice> factory, RequestSampler sampler) {
        add(type, request, response, state -> factory.get(), sampler);
    }

    /** The catalog entry of {@code type}. */
    public static Entry describe(MicroserviceType type) {
        Entry e = ENTRIES.get(Objects.requireNonNull(type, "type"));
        if (e == null) {
            throw new IllegalStateException("no implementation of " + type.manifestName());
        }
        return e;
    }

    /** All entries, in Table 5.2 order. */
    public static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }
}
