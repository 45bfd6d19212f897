package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.ReliableHashTable;
import io.e3.model.app.MicroserviceType;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * KVS (Table 5.2): a hash-table key-value store, in a reliable hash table.
 *
 * <p>Request {@code {"op": "get"|"put"|"delete", "key": "...", "value": "..." (put)}}; response
 * {@code {"found": bool, "value": "..." (when found)}}.
 */
public final class Kvs implements Microservice {

    public static final String REQUEST_SCHEMA = "{\"op\": \"get\"|\"put\"|\"delete\", \"key\": string, \"value\"?: string (put)}";
    public static final String RESPONSE_SCHEMA = "{\"found\": boolean, \"value\"?: string}";

    private final ReliableHashTable table;

    public Kvs(ReliableCollections state) {
        this.table = state.hashTable("kvs");
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.KVS;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String op = Requests.choice(request, "op", "get", "put", "delete");
        String key = Requests.text(request, "key");
        ObjectNode response = Requests.response();
        switch (op) {
            case "put" -> {
                byte[] value = Requests.text(request, "value").getBytes(StandardCharsets.UTF_8);
                response.put("found", table.containsKey(key));
                table.put(key, value);
            }
            case "delete" -> response.put("found", table.remove(key));
            default -> table.get(key).ifPresentOrElse(
                    v -> response.put("found", true).put("value", new String(v, StandardCharsets.UTF_8)),
                    () -> response.put("found", false));
        }
        return response;
    }

    /**
     * A random request: gets and puts in equal share over 10,000 keys, deletes now and then; a put's value fills the
     * request to about {@code bytes}.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        String key = "key-" + random.nextInt(10_000);
        int pick = random.nextInt(20);
        ObjectNode request = Requests.response().put("op", pick < 10 ? "get" : pick < 19 ? "put" : "delete")
                .put("key", key);
        return pick >= 10 && pick < 19 ? request.put("value", Samples.text(random, bytes - 40)) : request;
    }
}
