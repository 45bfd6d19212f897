package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Requests;

import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * The packet the network functions (NATv4, IPsec, NIDS, DDoS) read from a request, with the same field names in all
 * four: {@value #HEADER_SCHEMA}, and a {@code "payload"} in base64. Ports default to 0, the protocol to 6 (TCP) and
 * the payload, where it is optional, to empty.
 */
final class Packets {

    /** The header fields in the compact request notation, shared by the four schemas (the payload follows). */
    static final String HEADER_SCHEMA = "\"src\": \"a.b.c.d\", \"dst\": \"a.b.c.d\", \"srcPort\"?: 0..65535, "
            + "\"dstPort\"?: 0..65535, \"proto\"?: 0..255";
    /** The largest payload an IPv4 datagram could carry (its 16-bit total length bounds it). */
    static final int MAX_PAYLOAD = 65_535;
    static final int TCP = 6;
    static final int UDP = 17;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The characters {@code ,"payload":""} add to a request besides the base64 text. */
    private static final int PAYLOAD_FIELD_OVERHEAD = 13;
    private static final int[] SERVICE_PORTS = {80, 443, 53, 22, 25, 123, 8080, 3306};

    private Packets() {
    }

    /** One IPv4 packet: addresses as unsigned 32-bit values in an int, ports and protocol unsigned. */
    record Packet(int src, int dst, int srcPort, int dstPort, int proto, byte[] payload) {
    }

    /**
     * Reads the packet of {@code request}.
     *
     * @param payloadRequired whether a missing payload is an error rather than an empty payload
     */
    static Packet read(JsonNode request, boolean payloadRequired) throws InvalidRequestException {
        int src = address(request, "src");
        int dst = address(request, "dst");
        int srcPort = (int) Requests.integer(request, "srcPort", 0, 65_535, 0);
        int dstPort = (int) Requests.integer(request, "dstPort", 0, 65_535, 0);
        int proto = (int) Requests.integer(request, "proto", 0, 255, TCP);
        byte[] payload = payloadRequired || Requests.present(request, "payload") ? payload(request) : new byte[0];
        return new Packet(src, dst, srcPort, dstPort, proto, payload);
    }

    /** A dotted-quad IPv4 address field as an unsigned 32-bit value in an int. */
    static int address(JsonNode request, String name) throws InvalidRequestException {
        String text = Requests.text(request, name);
        long address = parseAddress(text);
        if (address < 0) {
            throw new InvalidRequestException(name + ": must be a dotted IPv4 address like 10.0.0.1, got '"
                    + text + "'");
        }
        return (int) address;
    }

    /**
     * The address {@code text} spells as four decimal octets, or -1. Strict: no leading zeros (inet_aton would read
     * them as octal), no spaces, no shortened forms.
     */
    static long parseAddress(String text) {
        int n = text.length();
        if (n < 7 || n > 15) {
            return -1;
        }
        long address = 0;
        int i = 0;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i >= n || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int value = 0;
            while (i < n && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + text.charAt(i++) - '0';
            }
            if (i == start || value > 255 || (i - start > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            address = address << 8 | value;
        }
        return i == n ? address : -1;
    }

    static String dotted(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    /** Writes the header fields of {@code p} into {@code out}, with {@code src} in place of its source. */
    static ObjectNode putHeader(ObjectNode out, int src, Packet p) {
        return out.put("src", dotted(src)).put("dst", dotted(p.dst())).put("srcPort", p.srcPort())
                .put("dstPort", p.dstPort()).put("proto", p.proto());
    }

    /** A random header: {@code src} and {@code dst} given, an ephemeral source port, a well-known service port. */
    static ObjectNode header(RandomGenerator random, int src, int dst) {
        return JSON.objectNode().put("src", dotted(src)).put("dst", dotted(dst))
                .put("srcPort", 49_152 + random.nextInt(16_384))
                .put("dstPort", SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)])
                .put("proto", random.nextInt(4) == 0 ? UDP : TCP);
    }

    /** How many payload bytes make {@code header} plus the base64 payload about {@code bytes} long as JSON. */
    static int payloadLength(ObjectNode header, int bytes) {
        int base64 = Math.max(0, bytes - header.toString().length() - PAYLOAD_FIELD_OVERHEAD);
        return Math.min(MAX_PAYLOAD, base64 / 4 * 3);
    }

    /** {@code header} with {@code payload} added, base64-encoded. */
    static ObjectNode withPayload(ObjectNode header, byte[] payload) {
        return header.put("payload", Base64.getEncoder().encodeToString(payload));
    }

    /** A random packet from {@code src} to {@code dst} with random payload bytes, about {@code bytes} long as JSON. */
    static ObjectNode sample(RandomGenerator random, int bytes, int src, int dst) {
        ObjectNode header = header(random, src, dst);
        byte[] payload = new byte[payloadLength(header, bytes)];
        random.nextBytes(payload);
        return withPayload(header, payload);
    }

    private static byte[] payload(JsonNode request) throws InvalidRequestException {
        String text = Requests.text(request, "payload");
        // Checked before decoding so that an oversized payload costs no allocation.
        if (text.length() > (MAX_PAYLOAD + 2) / 3 * 4) {
            throw new InvalidRequestException("payload: must be at most " + MAX_PAYLOAD + " bytes");
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("payload: must be base64, " + e.getMessage());
        }
    }
}
