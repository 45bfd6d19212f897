package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.state.ReliableCollections;
import io.e3.model.app.MicroserviceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

/** Every type is in the catalog, takes its own samples, and fails on junk only with {@link InvalidRequestException}. */
class MicroserviceCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void catalogHasEveryTypeOfTable52InOrder() {
        assertThat(MicroserviceCatalog.entries()).extracting(MicroserviceCatalog.Entry::type)
                .containsExactly(MicroserviceType.values());
    }

    @ParameterizedTest
    @EnumSource(MicroserviceType.class)
    void instancesReportTheirTypeAndSchemasAreGiven(MicroserviceType type) {
        MicroserviceCatalog.Entry entry = MicroserviceCatalog.describe(type);
        assertThat(entry.create().type()).isEqualTo(type);
        assertThat(entry.requestSchema()).startsWith("{");
        assertThat(entry.responseSchema()).startsWith("{");
        assertThat(entry.profile().type()).isEqualTo(type);
    }

    @ParameterizedTest
    @EnumSource(MicroserviceType.class)
    void aFreshInstanceAcceptsEverySampleAtEverySize(MicroserviceType type) throws Exception {
        MicroserviceCatalog.Entry entry = MicroserviceCatalog.describe(type);
        Microservice instance = entry.create();
        SplittableRandom random = new SplittableRandom(type.ordinal());
        for (int bytes : new int[] {64, 512, 1500}) {
            for (int i = 0; i < 300; i++) {
                JsonNode request = entry.sampler().sample(random, bytes);
                JsonNode response = instance.handle(request);
                assertThat(response.isObject()).as("%s response to %s", type, request).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MicroserviceType.class)
    void statelessInstancesKeepNothingInReliableCollections(MicroserviceType type) throws Exception {
        MicroserviceCatalog.Entry entry = MicroserviceCatalog.describe(type);
        ReliableCollections state = new ReliableCollections();
        Microservice instance = entry.create(state);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            instance.handle(entry.sampler().sample(random, 512));
        }
        boolean empty = state.sameContent(new ReliableCollections());
        assertThat(empty).as("%s state is empty", type).isEqualTo(!type.stateful());
    }

    /**
     * Junk of every shape: each sample mutated field by field (removed, nulled, retyped, extreme numbers, huge
     * strings), plus non-objects. The only failure allowed is {@link InvalidRequestException}.
     */
    @ParameterizedTest
    @EnumSource(MicroserviceType.class)
    void junkRequestsFailOnlyWithInvalidRequestException(MicroserviceType type) {
        MicroserviceCatalog.Entry entry = MicroserviceCatalog.describe(type);
        Microservice instance = entry.create();
        SplittableRandom random = new SplittableRandom(11);
        List<JsonNode> junk = new ArrayList<>(List.of(NODES.nullNode(), NODES.arrayNode(), NODES.textNode("x"),
                NODES.numberNode(1), NODES.objectNode()));
        for (int i = 0; i < 40; i++) {
            ObjectNode sample = entry.sampler().sample(random, 256);
            for (Iterator<String> names = sample.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                for (JsonNode bad : badValues(random)) {
                    junk.add(sample.deepCopy().set(name, bad));
                }
                ObjectNode without = sample.deepCopy();
                without.remove(name);
                junk.add(without);
            }
        }
        for (JsonNode request : junk) {
            assertThatCode(() -> {
                try {
                    instance.handle(request);
                } catch (InvalidRequestException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }).as("%s on %s", type, abbreviate(request)).doesNotThrowAnyException();
        }
    }

    private static List<JsonNode> badValues(SplittableRandom random) {
        ArrayNode mixed = NODES.arrayNode().add(1).add("a").add(NODES.nullNode()).add(NODES.objectNode());
        return List.of(NODES.nullNode(), NODES.textNode(""), NODES.textNode("\u0000\uffff%s'\""),
                NODES.textNode("z".repeat(70_000)), NODES.numberNode(-1), NODES.numberNode(0),
                NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(1e308),
                NODES.numberNode(-1e-308), NODES.numberNode(Double.NaN), NODES.numberNode(random.nextInt()),
                NODES.booleanNode(true), NODES.arrayNode(), mixed, NODES.objectNode().put("a", 1),
                NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")));
    }

    private static String abbreviate(JsonNode request) {
        try {
            String s = JSON.writeValueAsString(request);
            return s.length() > 200 ? s.substring(0, 200) + "..." : s;
        } catch (Exception e) {
            return fail("cannot render the request", e);
        }
    }
}
