package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.services.Natv4.Route;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NATv4 against a linear longest-prefix scan of the route list, and on hand-picked boundaries. */
class Natv4Test {

    private static final List<Route> EDGES = List.of(
            Route.of("0.0.0.0/0", "192.0.2.1"),
            Route.of("10.0.0.0/8", "203.0.113.8"),
            Route.of("10.1.2.0/24", "203.0.113.24"),
            Route.of("10.1.2.128/25", "203.0.113.25"),
            Route.of("10.1.2.200/32", "203.0.113.32"),
            Route.of("10.1.4.0/23", "203.0.113.23"),
            Route.of("255.255.255.255/32", "203.0.113.255"));

    @Test
    void agreesWithALinearLongestPrefixScanOnRandomOverlappingRoutes() throws InvalidRequestException {
        Random r = new Random(11);
        List<Route> routes = randomRoutes(r, 2500);
        Natv4 nat = new Natv4(routes);
        int misses = 0;
        int beyondSlash24 = 0;
        for (int i = 0; i < 120_000; i++) {
            int address = randomAddress(r, routes);
            int expected = linearScan(routes, address);
            assertThat(nat.lookup(address)).as(Packets.dotted(address)).isEqualTo(expected);
            misses += expected < 0 ? 1 : 0;
            beyondSlash24 += expected >= 0 && routes.get(expected).length() > 24 ? 1 : 0;
            if (i % 50 == 0) {
                JsonNode response = nat.handle(Json.of("src", "10.9.8.7", "dst", Packets.dotted(address)));
                assertThat(response.get("matched").asBoolean()).isEqualTo(expected >= 0);
                if (expected >= 0) {
                    Route route = routes.get(expected);
                    assertThat(response.get("src").asText()).isEqualTo(Packets.dotted(route.natAddress()));
                    assertThat(response.get("prefix").asText())
                            .isEqualTo(Packets.dotted(route.prefix()) + "/" + route.length());
                }
            }
        }
        assertThat(misses).as("some addresses have no route, most have one").isBetween(1000, 100_000);
        assertThat(beyondSlash24).as("lookups that end in a TBLlong block").isGreaterThan(10_000);
    }

    @Test
    void theDefaultTableAgreesWithALinearScanToo() {
        Natv4 nat = new Natv4();
        List<Route> routes = nat.routes();
        assertThat(routes).hasSize(Natv4.DEFAULT_ROUTES + 1);
        Random r = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            int address = randomAddress(r, routes);
            assertThat(nat.lookup(address)).as(Packets.dotted(address)).isEqualTo(linearScan(routes, address));
        }
    }

    @Test
    void picksTheLongestPrefixAtTheBoundariesOfSlash24BlocksAndSlash32Hosts() throws InvalidRequestException {
        Natv4 nat = new Natv4(EDGES);
        assertThat(prefixOf(nat, "10.1.2.0")).isEqualTo("10.1.2.0/24");
        assertThat(prefixOf(nat, "10.1.2.127")).isEqualTo("10.1.2.0/24");
        assertThat(prefixOf(nat, "10.1.2.128")).isEqualTo("10.1.2.128/25");
        assertThat(prefixOf(nat, "10.1.2.199")).isEqualTo("10.1.2.128/25");
        assertThat(prefixOf(nat, "10.1.2.200")).isEqualTo("10.1.2.200/32");
        assertThat(prefixOf(nat, "10.1.2.201")).isEqualTo("10.1.2.128/25");
        assertThat(prefixOf(nat, "10.1.2.255")).isEqualTo("10.1.2.128/25");
        assertThat(prefixOf(nat, "10.1.1.255")).isEqualTo("10.0.0.0/8");
        assertThat(prefixOf(nat, "10.1.3.0")).isEqualTo("10.0.0.0/8");
        assertThat(prefixOf(nat, "10.1.3.255")).isEqualTo("10.0.0.0/8");
        assertThat(prefixOf(nat, "10.1.4.0")).isEqualTo("10.1.4.0/23");
        assertThat(prefixOf(nat, "10.1.5.255")).isEqualTo("10.1.4.0/23");
        assertThat(prefixOf(nat, "10.1.6.0")).isEqualTo("10.0.0.0/8");
        assertThat(prefixOf(nat, "10.255.255.255")).isEqualTo("10.0.0.0/8");
        assertThat(prefixOf(nat, "11.0.0.0")).isEqualTo("0.0.0.0/0");
        assertThat(prefixOf(nat, "9.255.255.255")).isEqualTo("0.0.0.0/0");
        assertThat(prefixOf(nat, "0.0.0.0")).isEqualTo("0.0.0.0/0");
        assertThat(prefixOf(nat, "255.255.255.254")).isEqualTo("0.0.0.0/0");
        assertThat(prefixOf(nat, "255.255.255.255")).isEqualTo("255.255.255.255/32");
    }

    @Test
    void dropsAPacketNoRouteCovers() throws InvalidRequestException {
        Natv4 nat = new Natv4(EDGES.subList(1, EDGES.size()));
        assertThat(nat.handle(Json.of("src", "192.168.0.1", "dst", "11.0.0.1")))
                .isEqualTo(Json.parse("{\"matched\": false}"));
        assertThat(nat.handle(Json.of("src", "192.168.0.1", "dst", "10.1.2.3")).get("matched").asBoolean()).isTrue();
        assertThat(new Natv4(List.of()).handle(Json.of("src", "1.2.3.4", "dst", "5.6.7.8")).get("matched").asBoolean())
                .isFalse();
    }

    @Test
    void rewritesOnlyTheSourceAddressOfAForwardedPacket() throws InvalidRequestException {
        Natv4 nat = new Natv4(EDGES);
        JsonNode response = nat.handle(Json.of("src", "192.168.1.20", "dst", "10.1.2.130", "srcPort", 40000,
                "dstPort", 443, "proto", 6, "payload", "aGVsbG8="));
        assertThat(response).isEqualTo(Json.parse("{\"matched\": true, \"prefix\": \"10.1.2.128/25\", "
                + "\"src\": \"203.0.113.25\", \"dst\": \"10.1.2.130\", \"srcPort\": 40000, \"dstPort\": 443, "
                + "\"proto\": 6, \"payload\": \"aGVsbG8=\"}"));
        JsonNode defaults = nat.handle(Json.of("src", "192.168.1.20", "dst", "8.8.8.8"));
        assertThat(defaults.get("srcPort").asInt()).isZero();
        assertThat(defaults.get("proto").asInt()).isEqualTo(Packets.TCP);
        assertThat(defaults.get("payload").asText()).isEmpty();
    }

    @Test
    void aLaterDuplicateRouteReplacesAnEarlierOne() throws InvalidRequestException {
        Natv4 nat = new Natv4(List.of(Route.of("10.0.0.0/8", "203.0.113.1"), Route.of("10.0.0.0/8", "203.0.113.2"),
                Route.of("10.0.0.0/30", "203.0.113.3"), Route.of("10.0.0.0/30", "203.0.113.4")));
        assertThat(nat.handle(Json.of("src", "1.1.1.1", "dst", "10.9.9.9")).get("src").asText())
                .isEqualTo("203.0.113.2");
        assertThat(nat.handle(Json.of("src", "1.1.1.1", "dst", "10.0.0.3")).get("src").asText())
                .isEqualTo("203.0.113.4");
    }

    @Test
    void rejectsRoutesWithHostBitsAndTablesBeyondFifteenBitRouteNumbers() {
        assertThatThrownBy(() -> Route.of("10.0.0.1/8", "1.2.3.4")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> new Route(0, 33, 0)).hasMessageContaining("length");
        List<Route> tooMany = new ArrayList<>();
        for (int i = 0; i <= Natv4.MAX_ROUTES; i++) {
            tooMany.add(new Route(i << 8, 24, 1));
        }
        assertThatThrownBy(() -> new Natv4(tooMany)).hasMessageContaining("at most 32767 routes");
    }

    @Test
    void twoDefaultInstancesAcceptEverySampleAndAnswerIdentically() throws InvalidRequestException {
        Natv4 a = new Natv4();
        Natv4 b = new Natv4();
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 500; i++) {
            ObjectNode request = Natv4.sampleRequest(random, 512);
            assertThat(request.toString().length()).as(request.toString()).isBetween(470, 520);
            JsonNode response = a.handle(request);
            assertThat(response.get("matched").asBoolean()).isTrue();
            assertThat(b.handle(request)).isEqualTo(response);
        }
        for (int bytes : new int[] {256, 1500, 9000}) {
            ObjectNode request = Natv4.sampleRequest(random, bytes);
            assertThat(a.handle(request).get("matched").asBoolean()).isTrue();
            assertThat(request.toString().length()).isBetween((int) (bytes * 0.9), (int) (bytes * 1.1));
        }
        // Below the header's own size (about 100 bytes), a sample is just the header with an empty payload.
        assertThat(a.handle(Natv4.sampleRequest(random, 16)).get("payload").asText()).isEmpty();
    }

    @Test
    void namesTheFieldThatIsWrong() {
        Natv4 nat = new Natv4(EDGES);
        assertThatThrownBy(() -> nat.handle(Json.parse("[1]"))).hasMessage("request: must be a JSON object");
        assertThatThrownBy(() -> nat.handle(Json.of("dst", "1.2.3.4"))).hasMessage("src: required field is missing");
        assertThatThrownBy(() -> nat.handle(Json.of("src", "1.2.3.4"))).hasMessage("dst: required field is missing");
        for (String bad : new String[] {"10.0.0", "10.0.0.256", "010.0.0.1", "1.2.3.4.5", " 1.2.3.4", "1..2.3",
                "a.b.c.d", "1.2.3.4/8", "", "1234.1.1.1"}) {
            assertThatThrownBy(() -> nat.handle(Json.of("src", bad, "dst", "1.2.3.4"))).as(bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("src: must be a dotted IPv4");
        }
        assertThatThrownBy(() -> nat.handle(Json.of("src", 167772161, "dst", "1.2.3.4")))
                .hasMessageStartingWith("src: must be a string");
        assertThatThrownBy(() -> nat.handle(Json.of("src", "1.2.3.4", "dst", "1.2.3.4", "srcPort", 65536)))
                .hasMessageStartingWith("srcPort: must be in [0, 65535]");
        assertThatThrownBy(() -> nat.handle(Json.of("src", "1.2.3.4", "dst", "1.2.3.4", "dstPort", "80")))
                .hasMessageStartingWith("dstPort: must be a whole number");
        assertThatThrownBy(() -> nat.handle(Json.of("src", "1.2.3.4", "dst", "1.2.3.4", "proto", -1)))
                .hasMessageStartingWith("proto: must be in [0, 255]");
        assertThatThrownBy(() -> nat.handle(Json.of("src", "1.2.3.4", "dst", "1.2.3.4", "payload", "**")))
                .hasMessageStartingWith("payload: must be base64");
        assertThatThrownBy(() -> nat.handle(Json.of("src", "1.2.3.4", "dst", "1.2.3.4",
                "payload", "A".repeat(100_000)))).hasMessageStartingWith("payload: must be at most 65535 bytes");
    }

    @Test
    void servesOrRejectsWithTheFieldNameAnyJsonInput() {
        assertServesOrRejectsAnyJson(new Natv4(EDGES), 14);
    }

    /**
     * Random JSON, mostly objects with packet fields of right and wrong types and ranges: each is answered, or
     * rejected with an {@link InvalidRequestException} naming the field; nothing else may escape.
     */
    static void assertServesOrRejectsAnyJson(Microservice service, long seed) {
        Random r = new Random(seed);
        String[] fields = {"src", "dst", "srcPort", "dstPort", "proto", "payload", "threshold"};
        Object[] values = {"10.1.2.3", "8.8.8.8", "1.2.3", "300.1.1.1", "", "aGk=", "a=b", "%%", 0, -1, 80, 65536,
                255, 256, 0.5, 1.5, -0.0, Long.MAX_VALUE, new BigInteger("123456789012345678901234567890"), 1e300,
                true, List.of(), List.of(1), java.util.Map.of("a", 1)};
        for (int i = 0; i < 3000; i++) {
            JsonNode request;
            if (r.nextInt(20) == 0) {
                request = Json.MAPPER.valueToTree(values[r.nextInt(values.length)]);
            } else {
                ObjectNode o = Json.of("src", "192.0.2.1", "dst", "10.1.2.3", "payload", "AAAA");
                for (int k = r.nextInt(4); k > 0; k--) {
                    String field = fields[r.nextInt(fields.length)];
                    if (r.nextInt(5) == 0) {
                        o.remove(field);
                    } else {
                        o.set(field, r.nextInt(10) == 0 ? o.nullNode()
                                : Json.MAPPER.valueToTree(values[r.nextInt(values.length)]));
                    }
                }
                request = o;
            }
            try {
                assertThat(service.handle(request)).as(request.toString()).isNotNull();
            } catch (InvalidRequestException e) {
                assertThat(e.getMessage()).as(request.toString())
                        .matches("(request|src|dst|srcPort|dstPort|proto|payload|threshold): .+");
            }
        }
    }

    /**
     * Routes of lengths /8 to /32, most of them nested under earlier ones (so prefixes overlap, often
     * inside one /24), some duplicated with another NAT address, and no default route.
     */
    static List<Route> randomRoutes(Random r, int n) {
        List<Route> routes = new ArrayList<>();
        while (routes.size() < n) {
            int length;
            int address;
            if (routes.isEmpty() || r.nextInt(3) == 0) {
                length = 8 + r.nextInt(25);
                address = r.nextInt();
            } else {
                Route parent = routes.get(r.nextInt(routes.size()));
                length = Math.min(32, parent.length() + r.nextInt(9));
                address = parent.prefix() | r.nextInt() & ~mask(parent.length());
            }
            routes.add(new Route(address & mask(length), length, r.nextInt()));
        }
        return routes;
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Half uniform addresses, half inside or just around a random route's prefix. */
    static int randomAddress(Random r, List<Route> routes) {
        if (routes.isEmpty() || r.nextBoolean()) {
            return r.nextInt();
        }
        Route route = routes.get(r.nextInt(routes.size()));
        long size = 1L << (32 - route.length());
        return switch (r.nextInt(4)) {
            case 0 -> route.prefix() - 1;
            case 1 -> (int) (route.prefix() + size);
            case 2 -> (int) (route.prefix() + size - 1);
            default -> (int) (route.prefix() + (long) (r.nextDouble() * size));
        };
    }

    /** The oracle: the longest prefix over all routes, compared bit by bit in longs; ties go to the later route. */
    static int linearScan(List<Route> routes, int address) {
        int best = -1;
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            int shift = 32 - route.length();
            boolean covers = (address & 0xffffffffL) >>> shift == (route.prefix() & 0xffffffffL) >>> shift;
            if (covers && (best < 0 || route.length() >= routes.get(best).length())) {
                best = i;
            }
        }
        return best;
    }

    private static String prefixOf(Natv4 nat, String dst) throws InvalidRequestException {
        return nat.handle(Json.of("src", "192.168.0.1", "dst", dst)).get("prefix").asText();
    }
}
