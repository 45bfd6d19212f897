package io.e3.model.telemetry;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeartbeatCodecTest {

    /** A heartbeat with random figures and 0 to 39 instances, some ids with a backup suffix. */
    static Heartbeat random(SplittableRandom r) {
        List<InstanceStats> instances = new ArrayList<>();
        for (int i = r.nextInt(40); i > 0; i--) {
            instances.add(new InstanceStats("iot-ts/ema." + r.nextInt(1000) + (r.nextBoolean() ? ".backup1" : ""),
                    r.nextInt(100_000), r.nextInt(10), r.nextLong(10_000_000), (float) r.nextDouble(12)));
        }
        return new Heartbeat("s" + r.nextInt(50_000) + "/nic" + r.nextInt(4), r.nextLong(Long.MAX_VALUE),
                r.nextLong(1L << 42), 1 + r.nextInt(1000), r.nextInt(1 << 20), r.nextLong(1L << 40),
                r.nextLong(1L << 40), instances);
    }

    @Test
    void decodesExactlyWhatWasEncoded() throws MalformedHeartbeatException {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            Heartbeat h = random(r);
            byte[] bytes = HeartbeatCodec.encode(h);
            assertThat(HeartbeatCodec.decode(bytes, 0, bytes.length)).isEqualTo(h);
        }
    }

    @Test
    void decodesFromAnOffsetInALargerBuffer() throws MalformedHeartbeatException {
        Heartbeat h = new Heartbeat("s0/host", 7, 1_000, 50, 0, 10, 20,
                List.of(new InstanceStats("a/kvs.0", 5, 0, 1_200, 0.25f)));
        byte[] bytes = HeartbeatCodec.encode(h);
        byte[] buffer = new byte[bytes.length + 100];
        System.arraycopy(bytes, 0, buffer, 30, bytes.length);
        assertThat(HeartbeatCodec.decode(buffer, 30, bytes.length)).isEqualTo(h);
    }

    @Test
    void isCompact() {
        // Magic and version 5, node id 1 + 7, six figures 40, count 2, CRC 4; 30 instances of 20-byte ids at
        // 1 + 20 + 20 bytes each: 59 + 1,230 = 1,289 bytes.
        List<InstanceStats> instances = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            instances.add(new InstanceStats(String.format("app/service-%08d", i), 1, 0, 1, 0f));
        }
        byte[] bytes = HeartbeatCodec.encode(new Heartbeat("s0/nic0", 1, 1, 50, 0, 0, 0, instances));
        assertThat(bytes).hasSize(5 + 1 + 7 + 40 + 2 + 4 + 30 * 41);
    }

    @Test
    void rejectsEveryTruncationAndEveryFlippedBit() {
        byte[] bytes = HeartbeatCodec.encode(random(new SplittableRandom(2)));
        for (int n = 0; n < bytes.length; n++) {
            int length = n;
            assertThatThrownBy(() -> HeartbeatCodec.decode(bytes, 0, length))
                    .isInstanceOf(MalformedHeartbeatException.class);
        }
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] damaged = bytes.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> HeartbeatCodec.decode(damaged, 0, damaged.length))
                    .isInstanceOf(MalformedHeartbeatException.class);
        }
    }

    @Test
    void namesWhatIsWrong() {
        byte[] bytes = HeartbeatCodec.encode(random(new SplittableRandom(3)));
        byte[] otherVersion = bytes.clone();
        otherVersion[4] = 2;
        assertThatThrownBy(() -> HeartbeatCodec.decode(otherVersion, 0, otherVersion.length))
                .hasMessage("version 2 is not supported; this build reads 1");
        byte[] notOurs = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> HeartbeatCodec.decode(notOurs, 0, notOurs.length))
                .hasMessage("not a heartbeat (bad magic)");
        assertThatThrownBy(() -> HeartbeatCodec.decode(bytes, 0, 3)).hasMessage("too short: 3 bytes");
        assertThatThrownBy(() -> HeartbeatCodec.decode(bytes, bytes.length - 10, 20))
                .isInstanceOf(MalformedHeartbeatException.class);
    }

    /** Random bytes, and random bytes behind a valid magic and version, fail only as malformed. */
    @Test
    void randomDatagramsAreRejectedAsMalformed() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 100_000; i++) {
            byte[] junk = new byte[r.nextInt(1, 600)];
            r.nextBytes(junk);
            if (i % 2 == 0 && junk.length > 5) {
                System.arraycopy(new byte[] {'E', '3', 'H', 'B', 1}, 0, junk, 0, 5);
            }
            assertThatCode(() -> {
                try {
                    HeartbeatCodec.decode(junk, 0, junk.length);
                } catch (MalformedHeartbeatException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }).as(Arrays.toString(Arrays.copyOf(junk, 16))).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesToEncodeWhatCannotBeSent() {
        assertThatThrownBy(() -> HeartbeatCodec.encode(new Heartbeat("n".repeat(256), 0, 0, 50, 0, 0, 0, List.of())))
                .hasMessageStartingWith("id longer than 255 bytes");
        assertThatThrownBy(() -> new Heartbeat("n", -1, 0, 50, 0, 0, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InstanceStats("i", 0, 0, 0, Float.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
