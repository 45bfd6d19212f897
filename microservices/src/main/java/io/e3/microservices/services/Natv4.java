package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.model.app.MicroserviceType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * NATv4 (Table 5.2): source address translation behind a longest-prefix-match route lookup in a DIR-24-8-BASIC table
 * (Gupta, Lin and McKeown, "Routing lookups in hardware at memory access speeds", INFOCOM 1998).
 *
 * <p>Each {@link Route} maps a destination prefix to the public address traffic leaving by that route is masqueraded
 * as. The destination is looked up like a router's forwarding table; the source address is rewritten to the matched
 * route's NAT address, and ports, protocol and payload pass unchanged (a stateless NAT keeps no port mappings). A
 * packet with no matching route is dropped.
 *
 * <p>The table is the paper's: TBL24, 2^24 16-bit entries indexed by the top 24 address bits (32 MiB, built once per
 * instance), holding either a route number (high bit clear) or the number of a 256-entry TBLlong block (high bit set)
 * indexed by the low 8 bits, for addresses under a prefix longer than /24. A lookup is one or two memory reads. Route
 * numbers are 15 bits, so a table holds at most {@value #MAX_ROUTES} routes.
 *
 * <p>Request {@code {"src": "a.b.c.d", "dst": "a.b.c.d", "srcPort"?: p, "dstPort"?: p, "proto"?: n,
 * "payload"?: base64}}; response {@code {"matched": true, "prefix": "a.b.c.d/len", "src": NAT address, "dst",
 * "srcPort", "dstPort", "proto", "payload"}}, the packet as forwarded, or {@code {"matched": false}} (dropped).
 */
public final class Natv4 implements Microservice {

    public static final String REQUEST_SCHEMA = "{" + Packets.HEADER_SCHEMA + ", \"payload\"?: base64}";
    public static final String RESPONSE_SCHEMA = "{\"matched\": boolean, \"prefix\"?: \"a.b.c.d/len\", "
            + "\"src\"?: \"a.b.c.d\", \"dst\"?: \"a.b.c.d\", \"srcPort\"?: integer, \"dstPort\"?: integer, "
            + "\"proto\"?: integer, \"payload\"?: base64}";
    /** Route numbers 1..2^15-1 fit a TBL24 entry beside the block flag; 0 means no route. */
    public static final int MAX_ROUTES = 0x7fff;
    /** Routes in the default table, besides the default route. */
    public static final int DEFAULT_ROUTES = 10_000;

    private static final char BLOCK_FLAG = 0x8000;
    private static final long SEED = 0x4e4154763401L;

    private final List<Route> routes;
    private final String[] prefixTexts;
    private final char[] tbl24 = new char[1 << 24];
    private final char[] tblLong;

    /** A route: {@code prefix/length} (no host bits set) translates sources to {@code natAddress}. */
    public record Route(int prefix, int length, int natAddress) {

        public Route {
            if (length < 0 || length > 32) {
                throw new IllegalArgumentException("length must be in [0, 32], got " + length);
            }
            if ((prefix & ~mask(length)) != 0) {
                throw new IllegalArgumentException(Packets.dotted(prefix) + "/" + length + ": host bits are set");
            }
        }

        /** A route from {@code "a.b.c.d/len"} and a dotted NAT address. */
        public static Route of(String cidr, String natAddress) {
            int slash = cidr.indexOf('/');
            long prefix = slash < 0 ? -1 : Packets.parseAddress(cidr.substring(0, slash));
            long nat = Packets.parseAddress(natAddress);
            if (prefix < 0 || nat < 0) {
                throw new IllegalArgumentException("not a route: " + cidr + " -> " + natAddress);
            }
            return new Route((int) prefix, Integer.parseInt(cidr.substring(slash + 1)), (int) nat);
        }

        /** The netmask of a /length prefix. */
        public static int mask(int length) {
            return length == 0 ? 0 : -1 << (32 - length);
        }

        @Override
        public String toString() {
            return Packets.dotted(prefix) + "/" + length + " -> " + Packets.dotted(natAddress);
        }
    }

    /** The default table: {@value #DEFAULT_ROUTES} seeded random routes of lengths /8 to /32 and a default route. */
    public Natv4() {
        this(defaultRoutes());
    }

    /**
     * A table of {@code routes}. Where two routes have the same prefix and length, the later one wins.
     *
     * @throws IllegalArgumentException if there are more than {@value #MAX_ROUTES} routes
     */
    public Natv4(List<Route> routes) {
        if (routes.size() > MAX_ROUTES) {
            throw new IllegalArgumentException("at most " + MAX_ROUTES + " routes, got " + routes.size());
        }
        this.routes = List.copyOf(routes);
        this.prefixTexts = this.routes.stream().map(r -> Packets.dotted(r.prefix()) + "/" + r.length())
                .toArray(String[]::new);
        this.tblLong = build();
    }

    /** The default table's routes; deterministic, so every default instance translates alike. */
    public static List<Route> defaultRoutes() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Route> routes = new ArrayList<>(DEFAULT_ROUTES + 1);
        routes.add(Route.of("0.0.0.0/0", "192.0.2.1"));
        for (int i = 0; i < DEFAULT_ROUTES; i++) {
            int length = 8 + random.nextInt(25);
            // NAT addresses from 203.0.113.0/24 (TEST-NET-3, RFC 5737): a pool of public addresses.
            routes.add(new Route(random.nextInt() & Route.mask(length), length, 0xcb007100 | 1 + random.nextInt(254)));
        }
        return routes;
    }

    /** The routes of this table, in the order given. */
    public List<Route> routes() {
        return routes;
    }

    /** A random valid request of about {@code bytes} as JSON: a packet from a private host to a public address. */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        int src = 0x0a000000 | random.nextInt(1 << 24); // 10.0.0.0/8, hosts behind the NAT
        return Packets.sample(random, bytes, src, random.nextInt());
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.NATV4;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        Packets.Packet packet = Packets.read(request, false);
        int route = lookup(packet.dst());
        ObjectNode response = Requests.response().put("matched", route >= 0);
        if (route < 0) {
            return response;
        }
        response.put("prefix", prefixTexts[route]);
        Packets.putHeader(response, routes.get(route).natAddress(), packet);
        JsonNode payload = request.get("payload");
        // The payload passes unchanged: echo its text rather than re-encode the decoded bytes.
        return response.put("payload", payload != null && payload.isTextual() ? payload.asText() : "");
    }

    /** The index in {@link #routes()} of the longest prefix covering {@code address}, or -1 when none does. */
    int lookup(int address) {
        int entry = tbl24[address >>> 8];
        if ((entry & BLOCK_FLAG) != 0) {
            entry = tblLong[(entry & ~BLOCK_FLAG) << 8 | address & 0xff];
        }
        return entry - 1;
    }

    /** The prefix of route {@code index} as {@code a.b.c.d/len}. */
    String prefixText(int index) {
        return prefixTexts[index];
    }

    /**
     * Fills TBL24 and returns TBLlong. Routes go in by increasing length (stable, so a later duplicate overwrites an
     * earlier one), so a longer prefix always overwrites the shorter ones it lies under.
     */
    private char[] build() {
        int[] order = IntStream.range(0, routes.size()).boxed()
                .sorted(Comparator.comparingInt(i -> routes.get(i).length())).mapToInt(Integer::intValue).toArray();
        char[] blocks = new char[256 * 64];
        int blockCount = 0;
        for (int i : order) {
            Route r = routes.get(i);
            char entry = (char) (i + 1);
            if (r.length() <= 24) {
                int start = r.prefix() >>> 8;
                Arrays.fill(tbl24, start, start + (1 << (24 - r.length())), entry);
                continue;
            }
            int slot = r.prefix() >>> 8;
            if ((tbl24[slot] & BLOCK_FLAG) == 0) {
                if ((blockCount + 1) * 256 > blocks.length) {
                    blocks = Arrays.copyOf(blocks, blocks.length * 2);
                }
                // The new block starts as the route (if any) that covered the whole /24 before.
                Arrays.fill(blocks, blockCount * 256, (blockCount + 1) * 256, tbl24[slot]);
                tbl24[slot] = (char) (BLOCK_FLAG | blockCount++);
            }
            int start = (tbl24[slot] & ~BLOCK_FLAG) << 8 | r.prefix() & 0xff;
            Arrays.fill(blocks, start, start + (1 << (32 - r.length())), entry);
        }
        return Arrays.copyOf(blocks, blockCount * 256);
    }
}
