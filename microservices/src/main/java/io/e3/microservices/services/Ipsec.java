package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.model.app.MicroserviceType;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * IPsec (Table 5.2): {@link Natv4} translation, then ESP-style protection of the payload (RFC 4303, transport mode):
 * the payload and the ESP trailer (RFC 4303 §2.4 padding 1, 2, 3..., pad length, next header = the packet's protocol)
 * are encrypted with AES-CBC-128 (RFC 3602) under a fresh random IV, then authenticated encrypt-then-MAC with
 * HMAC-SHA1-96 (RFC 2404: HMAC-SHA1 truncated to its first 96 bits) over IV || ciphertext.
 *
 * <p>The ESP header (SPI, sequence number) is not modelled: a stateless service keeps no anti-replay counter, so the
 * ICV covers only IV || ciphertext. The IV comes from a {@link SecureRandom} by default, since RFC 3602 §3 requires
 * it to be unpredictable; a counter restarting in every fresh instance would repeat IVs under the same keys.
 *
 * <p>The no-argument instance uses fixed DEMO keys written in this source, for tests and benchmarks only; real
 * traffic needs keys from a key exchange, passed to {@link #Ipsec(Natv4, byte[], byte[], RandomGenerator)}.
 *
 * <p>Request {@code {"src": "a.b.c.d", "dst": "a.b.c.d", "srcPort"?: p, "dstPort"?: p, "proto"?: n,
 * "payload": base64}}; response {@code {"matched": true, "prefix": "a.b.c.d/len", "src": NAT address, "dst",
 * "srcPort", "dstPort", "proto", "iv": base64, "ciphertext": base64, "icv": base64 (12 bytes)}} or
 * {@code {"matched": false}} (no route: dropped).
 */
public final class Ipsec implements Microservice {

    public static final String REQUEST_SCHEMA = "{" + Packets.HEADER_SCHEMA + ", \"payload\": base64}";
    public static final String RESPONSE_SCHEMA = "{\"matched\": boolean, \"prefix\"?: \"a.b.c.d/len\", "
            + "\"src\"?: \"a.b.c.d\", \"dst\"?: \"a.b.c.d\", \"srcPort\"?: integer, \"dstPort\"?: integer, "
            + "\"proto\"?: integer, \"iv\"?: base64, \"ciphertext\"?: base64, \"icv\"?: base64}";
    /** AES block and IV size. */
    public static final int BLOCK_BYTES = 16;
    /** HMAC-SHA1-96 (RFC 2404 §2). */
    public static final int ICV_BYTES = 12;

    /** DEMO key, public in this source: AES-128. */
    private static final byte[] DEMO_ENCRYPTION_KEY = HexFormat.of().parseHex("e3e3e3e3000102030405060708090a0b");
    /** DEMO key, public in this source: the 160-bit HMAC-SHA1 key RFC 2404 §3 asks for. */
    private static final byte[] DEMO_AUTHENTICATION_KEY =
            HexFormat.of().parseHex("e3e3e3e3101112131415161718191a1b1c1d1e1f");

    private final Natv4 nat;
    private final Esp esp;
    private final RandomGenerator ivSource;

    /** The default {@link Natv4} table, the DEMO keys and random IVs. */
    public Ipsec() {
        this(new Natv4(), DEMO_ENCRYPTION_KEY, DEMO_AUTHENTICATION_KEY, new SecureRandom());
    }

    /**
     * The default {@link Natv4} table and the DEMO keys, with IVs from {@code ivSource}: lets a test reproduce an
     * answer whose IV it knows (IVs are random, so two instances never agree otherwise).
     */
    public static Ipsec withDemoKeys(RandomGenerator ivSource) {
        return new Ipsec(new Natv4(), DEMO_ENCRYPTION_KEY, DEMO_AUTHENTICATION_KEY, ivSource);
    }

    /**
     * Translates with {@code nat} (which may be shared: it is read-only) and protects with the given keys.
     *
     * @param encryptionKey     16 bytes, AES-128
     * @param authenticationKey 20 bytes, HMAC-SHA1
     * @param ivSource          where IVs come from; a {@link SecureRandom} outside tests
     */
    public Ipsec(Natv4 nat, byte[] encryptionKey, byte[] authenticationKey, RandomGenerator ivSource) {
        this.nat = nat;
        this.esp = new Esp(encryptionKey, authenticationKey);
        this.ivSource = ivSource;
    }

    /** A random valid request of about {@code bytes} as JSON: a packet from a private host to a public address. */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        return Natv4.sampleRequest(random, bytes);
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.IPSEC;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        Packets.Packet packet = Packets.read(request, true);
        int route = nat.lookup(packet.dst());
        ObjectNode response = Requests.response().put("matched", route >= 0);
        if (route < 0) {
            return response;
        }
        response.put("prefix", nat.prefixText(route));
        Packets.putHeader(response, nat.routes().get(route).natAddress(), packet);
        byte[] iv = new byte[BLOCK_BYTES];
        ivSource.nextBytes(iv);
        byte[] ciphertext = esp.encrypt(iv, Esp.withTrailer(packet.payload(), packet.proto()));
        byte[] icv = Arrays.copyOf(esp.authenticate(iv, ciphertext), ICV_BYTES);
        Base64.Encoder base64 = Base64.getEncoder();
        return response.put("iv", base64.encodeToString(iv)).put("ciphertext", base64.encodeToString(ciphertext))
                .put("icv", base64.encodeToString(icv));
    }

    /** The cryptographic step, keys fixed, IV explicit; its Cipher and Mac are made once and reused. */
    static final class Esp {

        private final SecretKeySpec encryptionKey;
        private final Cipher cipher;
        private final Mac mac;

        Esp(byte[] encryptionKey, byte[] authenticationKey) {
            if (encryptionKey.length != 16) {
                throw new IllegalArgumentException("encryption key: AES-128 needs 16 bytes, got "
                        + encryptionKey.length);
            }
            if (authenticationKey.length != 20) {
                throw new IllegalArgumentException("authentication key: HMAC-SHA1-96 needs 20 bytes (RFC 2404 §3), "
                        + "got " + authenticationKey.length);
            }
            this.encryptionKey = new SecretKeySpec(encryptionKey, "AES");
            try {
                this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
                this.mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(authenticationKey, "HmacSHA1"));
            } catch (GeneralSecurityException e) {
                // Every Java SE platform must provide both (Cipher and Mac javadoc): this is a broken runtime.
                throw new IllegalStateException("the JCA lacks AES/CBC/NoPadding or HmacSHA1", e);
            }
        }

        /**
         * {@code payload} followed by the RFC 4303 §2.4 trailer: padding bytes 1, 2, 3..., the pad length and the next
         * header, padded so that the whole is a multiple of the AES block.
         */
        static byte[] withTrailer(byte[] payload, int nextHeader) {
            int padLength = Math.floorMod(-(payload.length + 2), BLOCK_BYTES);
            byte[] plaintext = Arrays.copyOf(payload, payload.length + padLength + 2);
            for (int i = 0; i < padLength; i++) {
                plaintext[payload.length + i] = (byte) (i + 1);
            }
            plaintext[plaintext.length - 2] = (byte) padLength;
            plaintext[plaintext.length - 1] = (byte) nextHeader;
            return plaintext;
        }

        /** AES-CBC-128 of {@code plaintext} (a whole number of blocks) with {@code iv}, no padding added. */
        byte[] encrypt(byte[] iv, byte[] plaintext) {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
                return cipher.doFinal(plaintext);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("AES-CBC needs a 16-byte IV and whole blocks, got IV "
                        + iv.length + " bytes and " + plaintext.length + " bytes", e);
            }
        }

        /** The full 20-byte HMAC-SHA1 of the concatenated {@code parts}; the ICV is its first 12 bytes. */
        byte[] authenticate(byte[]... parts) {
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        }
    }
}
