package io.e3.model.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The heartbeat key's derivation (RFC 5869) and the HMAC-SHA256 it signs with (RFC 4231, and the JDK's own). */
class HeartbeatMacTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 5869, A.1: basic test case with SHA-256. */
    @Test
    void hkdfMatchesRfc5869TestCase1() {
        byte[] okm = HeartbeatMac.hkdf(HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(HEX.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                + "34007208d5b887185865");
    }

    /** RFC 5869, A.3: SHA-256 with zero-length salt and info, as {@link HeartbeatMac#forToken} has no salt. */
    @Test
    void hkdfMatchesRfc5869TestCase3() {
        byte[] okm = HeartbeatMac.hkdf(new byte[0], HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                new byte[0], 42);
        assertThat(HEX.formatHex(okm)).isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                + "9d201395faa4b61a96c8");
    }

    /** RFC 4231, test case 2: key "Jefe". */
    @Test
    void hmacMatchesRfc4231TestCase2() {
        byte[] mac = HeartbeatMac.ofKey("Jefe".getBytes(StandardCharsets.US_ASCII))
                .hmac("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    /** The allocation-free HMAC is the JDK's HmacSHA256, for keys and messages of every length around a block. */
    @Test
    void hmacEqualsTheJdksMac() throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        Mac jdk = Mac.getInstance("HmacSHA256");
        for (int i = 0; i < 2_000; i++) {
            byte[] key = new byte[1 + r.nextInt(64)];
            byte[] message = new byte[r.nextInt(300)];
            r.nextBytes(key);
            r.nextBytes(message);
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            assertThat(HeartbeatMac.ofKey(key).hmac(message)).isEqualTo(jdk.doFinal(message));
        }
    }

    @Test
    void theKeyIsTheHkdfOfTheTokenWithTheFixedInfo() throws Exception {
        byte[] key = HeartbeatMac.hkdf(null, "cluster-token".getBytes(StandardCharsets.UTF_8),
                HeartbeatMac.INFO.getBytes(StandardCharsets.UTF_8), 32);
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] message = "a heartbeat".getBytes(StandardCharsets.UTF_8);
        byte[] tag = new byte[HeartbeatMac.TAG_BYTES];
        HeartbeatMac.forToken("cluster-token").sign(message, 0, message.length, tag, 0);
        assertThat(tag).isEqualTo(java.util.Arrays.copyOf(jdk.doFinal(message), HeartbeatMac.TAG_BYTES));
    }

    @Test
    void verifiesItsOwnTagsOnlyUnderTheSameToken() {
        byte[] datagram = new byte[100 + HeartbeatMac.TAG_BYTES];
        new SplittableRandom(3).nextBytes(datagram);
        HeartbeatMac mac = HeartbeatMac.forToken("t1");
        mac.sign(datagram, 0, 100, datagram, 100);
        assertThat(mac.verify(datagram, 0, 100)).isTrue();
        assertThat(HeartbeatMac.forToken("t1").verify(datagram, 0, 100)).isTrue();
        assertThat(HeartbeatMac.forToken("t2").verify(datagram, 0, 100)).isFalse();
        for (int bit = 0; bit < datagram.length * 8; bit++) {
            byte[] damaged = datagram.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(mac.verify(damaged, 0, 100)).as("bit %d flipped", bit).isFalse();
        }
    }
}
