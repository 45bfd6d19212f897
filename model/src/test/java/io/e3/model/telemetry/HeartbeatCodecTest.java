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
    void aServerBatchFramesItsHeartbeatsInOrder() throws MalformedHeartbeatException {
        SplittableRandom r = new SplittableRandom(3);
        List<Heartbeat> beats = List.of(random(r), random(r), random(r));
        List<byte[]> encoded = beats.stream().map(HeartbeatCodec::encode).toList();
        byte[] batch = HeartbeatCodec.batch(encoded);
        assertThat(HeartbeatCodec.isBatch(batch, batch.length)).isTrue();
        assertThat(HeartbeatCodec.isBatch(encoded.get(0), encoded.get(0).length)).isFalse();
        assertThat(batch).hasSize(HeartbeatCodec.batchBytes(encoded));
        int[] offsets = new int[HeartbeatCodec.MAX_BATCH];
        int[] lengths = new int[HeartbeatCodec.MAX_BATCH];
        assertThat(HeartbeatCodec.unbatch(batch, batch.length, offsets, lengths)).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(HeartbeatCodec.decode(batch, offsets[i], lengths[i])).isEqualTo(beats.get(i));
        }
    }

    @Test
    void aBadlyFramedBatchIsMalformed() {
        byte[] one = HeartbeatCodec.encode(random(new SplittableRandom(4)));
        byte[] batch = HeartbeatCodec.batch(List.of(one, one));
        int[] offsets = new int[HeartbeatCodec.MAX_BATCH];
        int[] lengths = new int[HeartbeatCodec.MAX_BATCH];
        assertThatThrownBy(() -> HeartbeatCodec.unbatch(batch, batch.length - 1, offsets, lengths))
                .isInstanceOf(MalformedHeartbeatException.class).hasMessageContaining("truncated in heartbeat 1");
        byte[] longer = Arrays.copyOf(batch, batch.length + 1);
        assertThatThrownBy(() -> HeartbeatCodec.unbatch(longer, longer.length, offsets, lengths))
                .hasMessageContaining("1 bytes after");
        byte[] empty = Arrays.copyOf(batch, 6);
        empty[5] = 0;
        assertThatThrownBy(() -> HeartbeatCodec.unbatch(empty, empty.length, offsets, lengths))
                .hasMessageContaining("empty");
        byte[] version = batch.clone();
        version[4] = 9;
        assertThatThrownBy(() -> HeartbeatCodec.unbatch(version, version.length, offsets, lengths))
                .hasMessageContaining("batch version 9");
        assertThatThrownBy(() -> HeartbeatCodec.batch(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeartbeatCodec.batch(java.util.Collections.nCopies(HeartbeatCodec.MAX_BATCH + 1,
                one))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isCompact() {
        // Magic and version 5, node id 1 + 7, epoch and six figures 48, count 2, tag 16, CRC 4; 30 instances of
        // 20-byte ids at 1 + 20 + 20 bytes each: 83 + 1,230 = 1,313 bytes.
        List<InstanceStats> instances = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            instances.add(new InstanceStats(String.format("app/service-%08d", i), 1, 0, 1, 0f));
        }
        byte[] bytes = HeartbeatCodec.encode(new Heartbeat("s0/nic0", 1, 1, 50, 0, 0, 0, instances));
        assertThat(bytes).hasSize(5 + 1 + 7 + 48 + 2 + 16 + 4 + 30 * 41);
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
        otherVersion[4] = 1;
        assertThatThrownBy(() -> HeartbeatCodec.decode(otherVersion, 0, otherVersion.length))
                .hasMessage("version 1 is not supported; this build reads 2");
        byte[] notOurs = "GET / HTTP/1.1\r\nHost: controller\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
                System.arraycopy(new byte[] {'E', '3', 'H', 'B', HeartbeatCodec.VERSION}, 0, junk, 0, 5);
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

    private static final HeartbeatMac MAC = HeartbeatMac.forToken("test-token");

    /** A signed heartbeat decodes to what was encoded, with its epoch, and its tag verifies under the same token. */
    @Test
    void signedRoundTrip() throws MalformedHeartbeatException {
        SplittableRandom r = new SplittableRandom(7);
        HeartbeatView view = new HeartbeatView();
        for (int i = 0; i < 500; i++) {
            Heartbeat h = random(r);
            long epoch = r.nextLong(1L << 53);
            byte[] bytes = HeartbeatCodec.encode(h, epoch, MAC);
            HeartbeatCodec.decode(bytes, 0, bytes.length, view);
            assertThat(view.toHeartbeat()).isEqualTo(h);
            assertThat(view.epochMicros()).isEqualTo(epoch);
            assertThat(view.tagOffset()).isEqualTo(bytes.length - 4 - HeartbeatMac.TAG_BYTES);
            assertThat(MAC.verify(bytes, 0, view.tagOffset())).isTrue();
            assertThat(HeartbeatMac.forToken("other-token").verify(bytes, 0, view.tagOffset())).isFalse();
        }
    }

    /** The unsigned encode leaves the tag zero: it decodes, but does not verify. */
    @Test
    void unsignedHeartbeatsDecodeButDoNotVerify() throws MalformedHeartbeatException {
        byte[] bytes = HeartbeatCodec.encode(random(new SplittableRandom(8)));
        HeartbeatView view = new HeartbeatView();
        HeartbeatCodec.decode(bytes, 0, bytes.length, view);
        assertThat(Arrays.copyOfRange(bytes, view.tagOffset(), view.tagOffset() + 16)).containsOnly(0);
        assertThat(MAC.verify(bytes, 0, view.tagOffset())).isFalse();
    }

    /** Restamping is encoding again with the new epoch, sequence and send time. */
    @Test
    void restampIsAFreshEncode() {
        Heartbeat h = random(new SplittableRandom(10));
        byte[] bytes = HeartbeatCodec.encode(h, 5, MAC);
        HeartbeatCodec.restamp(bytes, 0, bytes.length, 6, 42, 1_234, MAC, new java.util.zip.CRC32C());
        Heartbeat next = new Heartbeat(h.nodeId(), 42, 1_234, h.periodMillis(), h.queueDepth(),
                h.bytesInPerSecond(), h.bytesOutPerSecond(), h.instances());
        assertThat(bytes).isEqualTo(HeartbeatCodec.encode(next, 6, MAC));
    }

    /**
     * Each kind of corruption: damage the checksum catches is malformed; a change behind a recomputed checksum (what a
     * forger without the token can make) decodes but fails the tag; so does a heartbeat signed under another token,
     * or one whose tag alone was replaced.
     */
    @Test
    void eachKindOfCorruptionIsCaught() throws MalformedHeartbeatException {
        HeartbeatView view = new HeartbeatView();
        byte[] bytes = HeartbeatCodec.encode(random(new SplittableRandom(11)), 77, MAC);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] damaged = bytes.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> HeartbeatCodec.decode(damaged, 0, damaged.length, view))
                    .as("bit %d flipped", bit).isInstanceOf(MalformedHeartbeatException.class);
        }
        for (int n = 0; n < bytes.length; n++) {
            int length = n;
            assertThatThrownBy(() -> HeartbeatCodec.decode(bytes, 0, length, view))
                    .isInstanceOf(MalformedHeartbeatException.class);
        }
        int forgedAndWellFormed = 0;
        for (int at = 5; at < bytes.length - 4; at++) {
            byte[] forged = bytes.clone();
            forged[at] ^= 0x01;
            checksum(forged);
            try {
                HeartbeatCodec.decode(forged, 0, forged.length, view);
            } catch (MalformedHeartbeatException e) {
                continue; // some bytes (lengths, counts) make it malformed even behind a good checksum
            }
            forgedAndWellFormed++;
            assertThat(MAC.verify(forged, 0, view.tagOffset())).as("byte %d changed", at).isFalse();
        }
        assertThat(forgedAndWellFormed).isGreaterThan(bytes.length / 2);
        Heartbeat h = random(new SplittableRandom(12));
        byte[] otherKey = HeartbeatCodec.encode(h, 1, HeartbeatMac.forToken("not-the-token"));
        HeartbeatCodec.decode(otherKey, 0, otherKey.length, view);
        assertThat(view.toHeartbeat()).isEqualTo(h);
        assertThat(MAC.verify(otherKey, 0, view.tagOffset())).isFalse();
    }

    /** Rewrites the CRC-32C at the end of {@code datagram} to match its contents. */
    static void checksum(byte[] datagram) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(datagram, 0, datagram.length - 4);
        java.nio.ByteBuffer.wrap(datagram, datagram.length - 4, 4).putInt((int) crc.getValue());
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
