package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.model.app.MicroserviceType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * NIDS (Table 5.2): network intrusion detection by multi-pattern matching of the payload against byte signatures with
 * an Aho-Corasick automaton (Aho and Corasick, "Efficient string matching: an aid to bibliographic search", CACM
 * 1975). The goto and failure functions are compiled into a dense DFA, one row of 256 next states per state, so each
 * payload byte costs one table read; each state's output lists every pattern ending there, its own and those along its
 * failure chain. Every occurrence is found, overlapping and nested ones included.
 *
 * <p>Request {@code {"src": "a.b.c.d", "dst": "a.b.c.d", "srcPort"?: p, "dstPort"?: p, "proto"?: n,
 * "payload": base64}}; response {@code {"alert": bool, "total": n, "matches": [{"id": i, "pattern": "...",
 * "offset": start byte}]}}: all n matches counted, the first {@value #MAX_REPORTED} by end offset listed. A pattern is
 * reported as text by reading its bytes as ISO-8859-1.
 */
public final class Nids implements Microservice {

    public static final String REQUEST_SCHEMA = "{" + Packets.HEADER_SCHEMA + ", \"payload\": base64}";
    public static final String RESPONSE_SCHEMA = "{\"alert\": boolean, \"total\": integer, "
            + "\"matches\": [{\"id\": integer, \"pattern\": string, \"offset\": integer}]}";
    /** Matches listed in a response; all are counted in {@code total}. */
    public static final int MAX_REPORTED = 64;
    /** A bound on the automaton: 2^18 states of 256 ints are 256 MiB. */
    public static final int MAX_STATES = 1 << 18;

    /** Snort-like content strings: path traversal, shells, SQL and script injection, scanners, exploits. */
    static final List<String> SIGNATURES = List.of(
            "/etc/passwd", "/etc/shadow", "root:x:0:0", "/bin/sh", "/bin/bash -i", "cmd.exe", "command.com",
            "powershell -enc", "../../", "..%2f..%2f", "%2e%2e%2f", "/proc/self/environ", "win.ini", "boot.ini",
            "SELECT * FROM", "UNION SELECT", "UNION ALL SELECT", "' OR '1'='1", "\" OR \"1\"=\"1", "DROP TABLE",
            "xp_cmdshell", "INTO OUTFILE", "information_schema", "<script>", "</script>", "javascript:", "onerror=",
            "onload=", "document.cookie", "<iframe", "eval(", "base64_decode(", "shell_exec(", "passthru(", "system(",
            "${jndi:ldap://", "${jndi:rmi://", "() { :;};", "wget http://", "curl -s http://", "nc -e /bin/sh",
            "chmod 777", "chmod +x /tmp/", "/.git/config", "/.env", "/wp-admin/", "/phpmyadmin/", "/cgi-bin/",
            "User-Agent: sqlmap", "User-Agent: Nikto", "masscan", "zgrab", "USER anonymous", "RETR /etc",
            "\u0090\u0090\u0090\u0090\u0090\u0090\u0090\u0090", "MZ\u0090\u0000", "\u007fELF", "%00", "%0d%0a",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/admin/config.php", "/server-status", "Authorization: Basic YWRtaW46");
    /** Made-up signatures added to {@link #SIGNATURES} in the default set. */
    public static final int RANDOM_PATTERNS = 250;

    private static final long SEED = 0x4e494453L;
    private static final int[] NONE = new int[0];
    private static final byte[] SAMPLE_TEXT =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /=&?.-_:;\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);

    private final byte[][] patterns;
    private final String[] texts;
    /** The DFA: next state of state s on byte b at {@code delta[s << 8 | b]}. */
    private final int[] delta;
    /** The patterns ending at each state, its own first, then along the failure chain (longest first). */
    private final int[][] outputs;

    /** Receives one match: the pattern's index and the offset of its last byte. */
    @FunctionalInterface
    interface MatchSink {
        void match(int pattern, int end);
    }

    /** The default signatures: {@link #SIGNATURES} and {@value #RANDOM_PATTERNS} seeded random ones. */
    public Nids() {
        this(defaultPatterns());
    }

    /**
     * Matches {@code patterns}; a pattern's id is its index in the list.
     *
     * @throws IllegalArgumentException if a pattern is empty or the automaton would exceed {@value #MAX_STATES} states
     */
    public Nids(List<byte[]> patterns) {
        this.patterns = patterns.stream().map(byte[]::clone).toArray(byte[][]::new);
        this.texts = Arrays.stream(this.patterns).map(p -> new String(p, StandardCharsets.ISO_8859_1))
                .toArray(String[]::new);
        long states = 1 + Arrays.stream(this.patterns).mapToLong(p -> p.length).sum();
        int[] endStates = new int[this.patterns.length];
        int[] go = new int[(int) Math.min(states, MAX_STATES) << 8];
        Arrays.fill(go, -1);
        int used = 1;
        for (int p = 0; p < this.patterns.length; p++) {
            if (this.patterns[p].length == 0) {
                throw new IllegalArgumentException("pattern " + p + " is empty");
            }
            used = insert(go, used, p, endStates);
        }
        this.delta = Arrays.copyOf(go, used << 8);
        this.outputs = complete(delta, used, endStates);
    }

    /** The default pattern set; deterministic, so every default instance alerts alike. */
    public static List<byte[]> defaultPatterns() {
        List<byte[]> out = new ArrayList<>();
        SIGNATURES.forEach(s -> out.add(s.getBytes(StandardCharsets.ISO_8859_1)));
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < RANDOM_PATTERNS; i++) {
            byte[] p = new byte[5 + random.nextInt(12)];
            for (int j = 0; j < p.length; j++) {
                p[j] = (byte) (0x21 + random.nextInt(0x7f - 0x21)); // printable ASCII, no space
            }
            out.add(p);
        }
        return out;
    }

    /** The patterns, by id. */
    public List<byte[]> patterns() {
        return Arrays.stream(patterns).map(byte[]::clone).toList();
    }

    /**
     * A random valid request of about {@code bytes} as JSON: text-like payload bytes, one in four carrying one of
     * {@link #SIGNATURES} so that alerts are part of the load.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        ObjectNode header = Packets.header(random, random.nextInt(), 0x0a000000 | random.nextInt(1 << 24));
        byte[] payload = new byte[Packets.payloadLength(header, bytes)];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = SAMPLE_TEXT[random.nextInt(SAMPLE_TEXT.length)];
        }
        byte[] signature = SIGNATURES.get(random.nextInt(SIGNATURES.size())).getBytes(StandardCharsets.ISO_8859_1);
        if (random.nextInt(4) == 0 && signature.length <= payload.length) {
            int at = random.nextInt(payload.length - signature.length + 1);
            System.arraycopy(signature, 0, payload, at, signature.length);
        }
        return Packets.withPayload(header, payload);
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.NIDS;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        byte[] payload = Packets.read(request, true).payload();
        ObjectNode response = Requests.response();
        ArrayNode matches = response.arrayNode();
        long[] total = {0};
        scan(payload, (p, end) -> {
            if (total[0]++ < MAX_REPORTED) {
                matches.addObject().put("id", p).put("pattern", texts[p]).put("offset", end - patterns[p].length + 1);
            }
        });
        response.put("alert", total[0] > 0).put("total", total[0]);
        response.set("matches", matches);
        return response;
    }

    /** Reports every occurrence of every pattern in {@code text}, by increasing end offset. */
    void scan(byte[] text, MatchSink sink) {
        int state = 0;
        for (int i = 0; i < text.length; i++) {
            state = delta[state << 8 | text[i] & 0xff];
            for (int p : outputs[state]) {
                sink.match(p, i);
            }
        }
    }

    /** Adds pattern {@code p} to the trie {@code go} of {@code used} states; returns the new state count. */
    private int insert(int[] go, int used, int p, int[] endStates) {
        int state = 0;
        for (byte b : patterns[p]) {
            int edge = state << 8 | b & 0xff;
            if (go[edge] < 0) {
                if (used == MAX_STATES) {
                    throw new IllegalArgumentException("the patterns need more than " + MAX_STATES + " states");
                }
                go[edge] = used++;
            }
            state = go[edge];
        }
        endStates[p] = state;
        return used;
    }

    /**
     * Turns the trie into the DFA in breadth-first order, filling each missing edge with its failure state's edge
     * (whose row is already complete, being shallower), and returns each state's outputs.
     */
    private static int[][] complete(int[] delta, int states, int[] endStates) {
        int[][] own = ownPatterns(states, endStates);
        int[][] outputs = new int[states][];
        int[] fail = new int[states];
        int[] queue = new int[states];
        int head = 0;
        int tail = 0;
        outputs[0] = NONE;
        queue[tail++] = 0;
        while (head < tail) {
            int s = queue[head++];
            for (int c = 0; c < 256; c++) {
                int edge = s << 8 | c;
                int t = delta[edge];
                if (t < 0) {
                    delta[edge] = s == 0 ? 0 : delta[fail[s] << 8 | c];
                } else {
                    fail[t] = s == 0 ? 0 : delta[fail[s] << 8 | c];
                    outputs[t] = concat(own[t], outputs[fail[t]]);
                    queue[tail++] = t;
                }
            }
        }
        return outputs;
    }

    private static int[][] ownPatterns(int states, int[] endStates) {
        int[] counts = new int[states];
        for (int s : endStates) {
            counts[s]++;
        }
        int[][] own = new int[states][];
        for (int s = 0; s < states; s++) {
            own[s] = counts[s] == 0 ? NONE : new int[counts[s]];
            counts[s] = 0;
        }
        for (int p = 0; p < endStates.length; p++) {
            own[endStates[p]][counts[endStates[p]]++] = p;
        }
        return own;
    }

    private static int[] concat(int[] a, int[] b) {
        if (a.length == 0 || b.length == 0) {
            return a.length == 0 ? b : a;
        }
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
