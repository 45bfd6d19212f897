package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.services.Natv4.Route;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IPsec against published vectors, an independent JCA decryption and MAC check, and {@link Natv4}. */
class IpsecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ANY_AES_KEY = new byte[16];
    private static final byte[] ANY_HMAC_KEY = new byte[20];

    private static Natv4 nat;

    @BeforeAll
    static void sharedTable() {
        // One table shared by every instance of the class, as a deployment would: it is read-only.
        nat = new Natv4(List.of(Route.of("10.0.0.0/8", "203.0.113.8"), Route.of("10.1.2.128/25", "203.0.113.25"),
                Route.of("198.51.100.7/32", "203.0.113.32"), Route.of("172.16.0.0/12", "203.0.113.12")));
    }

    @Test
    void encryptsTheRfc3602AesCbc128Vectors() {
        // RFC 3602 §4, Case #1: one block.
        Ipsec.Esp case1 = new Ipsec.Esp(HEX.parseHex("06a9214036b8a15b512e03d534120006"), ANY_HMAC_KEY);
        assertThat(HEX.formatHex(case1.encrypt(HEX.parseHex("3dafba429d9eb430b422da802c9fac41"),
                "Single block msg".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("e353779c1079aeb82708942dbe77181a");
        // RFC 3602 §4, Case #2: two blocks.
        Ipsec.Esp case2 = new Ipsec.Esp(HEX.parseHex("c286696d887c9aa0611bbb3e2025a45a"), ANY_HMAC_KEY);
        assertThat(HEX.formatHex(case2.encrypt(HEX.parseHex("562e17996d093d28ddb3ba695a2e6f58"),
                HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))))
                .isEqualTo("d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1");
    }

    @Test
    void authenticatesTheRfc2202HmacSha1VectorsAndTruncatesTo96BitsAsRfc2404() {
        // RFC 2202 §3, test case 1: key 0x0b x 20, "Hi There"; its first 12 bytes are RFC 2404's HMAC-SHA-1-96.
        byte[] digest = new Ipsec.Esp(ANY_AES_KEY, filled(0x0b, 20)).authenticate("Hi There".getBytes(
                StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(digest)).isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
        assertThat(HEX.formatHex(Arrays.copyOf(digest, Ipsec.ICV_BYTES))).isEqualTo("b617318655057264e28bc0b6");
        // RFC 2202 §3, test case 3: key 0xaa x 20, data 0xdd x 50, given in two parts.
        Ipsec.Esp case3 = new Ipsec.Esp(ANY_AES_KEY, filled(0xaa, 20));
        assertThat(HEX.formatHex(case3.authenticate(filled(0xdd, 20), filled(0xdd, 30))))
                .isEqualTo("125d7342b9ac11cd91a39af48aa17b4f63f175d3");
        // The Mac is reused: a second use gives the same answer (doFinal reset it).
        assertThat(HEX.formatHex(case3.authenticate(filled(0xdd, 50))))
                .isEqualTo("125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    }

    @Test
    void aSeparateJcaCipherAndMacRecoverThePayloadAndTheIcvOfRandomPackets() throws Exception {
        Random r = new Random(21);
        byte[] aesKey = random(r, 16);
        byte[] hmacKey = random(r, 20);
        Ipsec ipsec = new Ipsec(nat, aesKey, hmacKey, new SplittableRandom(22));
        Cipher decrypt = Cipher.getInstance("AES/CBC/NoPadding");
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(hmacKey, "HmacSHA1"));
        Set<String> ivs = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            byte[] payload = random(r, r.nextInt(i < 100 ? 40 : 600));
            int proto = r.nextInt(256);
            JsonNode response = ipsec.handle(Json.of("src", "192.168.0.9", "dst", "10.1.2." + r.nextInt(256),
                    "proto", proto, "payload", Base64.getEncoder().encodeToString(payload)));
            byte[] iv = base64(response, "iv");
            byte[] ciphertext = base64(response, "ciphertext");
            assertThat(ivs.add(HEX.formatHex(iv))).as("a fresh IV for every packet").isTrue();

            mac.update(iv);
            assertThat(base64(response, "icv")).isEqualTo(Arrays.copyOf(mac.doFinal(ciphertext), 12));

            decrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            byte[] plain = decrypt.doFinal(ciphertext);
            assertThat(plain.length % 16).isZero();
            int padLength = plain[plain.length - 2] & 0xff;
            assertThat(plain[plain.length - 1] & 0xff).as("next header").isEqualTo(proto);
            assertThat(padLength).isLessThan(16).isEqualTo(plain.length - 2 - payload.length);
            assertThat(Arrays.copyOf(plain, payload.length)).isEqualTo(payload);
            for (int k = 0; k < padLength; k++) {
                assertThat(plain[payload.length + k]).as("RFC 4303 padding byte " + k).isEqualTo((byte) (k + 1));
            }
        }
    }

    @Test
    void translatesTheHeaderExactlyAsNatv4Does() throws InvalidRequestException {
        Ipsec ipsec = new Ipsec(nat, ANY_AES_KEY, ANY_HMAC_KEY, new SplittableRandom(23));
        Random r = new Random(24);
        String[] destinations = {"10.1.2.130", "10.1.2.3", "198.51.100.7", "198.51.100.8", "172.31.255.255",
                "172.32.0.0", "8.8.8.8"};
        for (int i = 0; i < 500; i++) {
            ObjectNode request = Json.of("src", "192.168.7." + r.nextInt(256),
                    "dst", destinations[r.nextInt(destinations.length)], "srcPort", r.nextInt(65536),
                    "dstPort", r.nextInt(65536), "proto", r.nextInt(256), "payload", "AAEC");
            JsonNode translated = nat.handle(request);
            JsonNode protectedPacket = ipsec.handle(request);
            for (String field : List.of("matched", "prefix", "src", "dst", "srcPort", "dstPort", "proto")) {
                assertThat(protectedPacket.get(field)).as(field + " of " + request).isEqualTo(translated.get(field));
            }
        }
        assertThat(ipsec.handle(Json.of("src", "1.2.3.4", "dst", "8.8.8.8", "payload", "")))
                .isEqualTo(Json.parse("{\"matched\": false}"));
    }

    @Test
    void anEmptyPayloadStillGetsOneBlockOfTrailer() throws Exception {
        Ipsec ipsec = new Ipsec(nat, ANY_AES_KEY, ANY_HMAC_KEY, new SplittableRandom(25));
        JsonNode response = ipsec.handle(Json.of("src", "1.2.3.4", "dst", "10.0.0.1", "proto", 17, "payload", ""));
        Cipher decrypt = Cipher.getInstance("AES/CBC/NoPadding");
        decrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ANY_AES_KEY, "AES"),
                new IvParameterSpec(base64(response, "iv")));
        // 0 payload bytes + 2 trailer bytes pad to 16: padding 1..14, pad length 14, next header 17.
        assertThat(HEX.formatHex(decrypt.doFinal(base64(response, "ciphertext"))))
                .isEqualTo("0102030405060708090a0b0c0d0e0e11");
        assertThat(base64(response, "icv")).hasSize(12);
    }

    @Test
    void theDefaultInstanceProtectsEverySampleAtAboutTheAskedSize() throws InvalidRequestException {
        Ipsec ipsec = new Ipsec();
        SplittableRandom random = new SplittableRandom(26);
        for (int i = 0; i < 300; i++) {
            ObjectNode request = Ipsec.sampleRequest(random, 512);
            assertThat(request.toString().length()).isBetween(470, 520);
            JsonNode response = ipsec.handle(request);
            assertThat(response.get("matched").asBoolean()).isTrue();
            int payload = Base64.getDecoder().decode(request.get("payload").asText()).length;
            assertThat(base64(response, "ciphertext")).hasSize((payload + 2 + 15) / 16 * 16);
        }
    }

    @Test
    void namesTheFieldThatIsWrongAndRejectsKeysOfTheWrongSize() {
        Ipsec ipsec = new Ipsec(nat, ANY_AES_KEY, ANY_HMAC_KEY, new SplittableRandom(27));
        assertThatThrownBy(() -> ipsec.handle(Json.of("src", "1.2.3.4", "dst", "10.0.0.1")))
                .hasMessage("payload: required field is missing");
        assertThatThrownBy(() -> ipsec.handle(Json.of("src", "1.2.3.4", "dst", "10.0.0.1", "payload", 5)))
                .hasMessageStartingWith("payload: must be a string");
        assertThatThrownBy(() -> ipsec.handle(Json.of("src", "1.2.3.4", "dst", "10.0.0.1", "payload", "a$b=")))
                .hasMessageStartingWith("payload: must be base64");
        assertThatThrownBy(() -> ipsec.handle(Json.of("src", "1.2.3", "dst", "10.0.0.1", "payload", "")))
                .hasMessageStartingWith("src: must be a dotted IPv4 address");
        assertThatThrownBy(() -> ipsec.handle(Json.of("src", "1.2.3.4", "dst", "10.0.0.1", "proto", 256,
                "payload", ""))).hasMessageStartingWith("proto: must be in [0, 255]");
        assertThatThrownBy(() -> ipsec.handle(Json.parse("\"packet\""))).hasMessage("request: must be a JSON object");
        assertThatThrownBy(() -> new Ipsec(nat, new byte[24], ANY_HMAC_KEY, new SplittableRandom()))
                .hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> new Ipsec(nat, ANY_AES_KEY, new byte[16], new SplittableRandom()))
                .hasMessageContaining("20 bytes");
    }

    @Test
    void servesOrRejectsWithTheFieldNameAnyJsonInput() {
        Natv4Test.assertServesOrRejectsAnyJson(new Ipsec(nat, ANY_AES_KEY, ANY_HMAC_KEY, new SplittableRandom(28)),
                29);
    }

    private static byte[] base64(JsonNode response, String field) {
        return Base64.getDecoder().decode(response.get(field).asText());
    }

    private static byte[] filled(int value, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    private static byte[] random(Random r, int length) {
        byte[] out = new byte[length];
        r.nextBytes(out);
        return out;
    }
}
