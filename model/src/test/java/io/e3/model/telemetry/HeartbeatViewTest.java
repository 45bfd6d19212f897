package io.e3.model.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Decoding into a reusable {@link HeartbeatView}: the same heartbeats, and the same rejections, as the object decode. */
class HeartbeatViewTest {

    private final HeartbeatView view = new HeartbeatView();

    @Test
    void oneViewReusedForDatagramsOfEverySizeHoldsExactlyWhatWasEncoded() throws MalformedHeartbeatException {
        SplittableRandom r = new SplittableRandom(1);
        for (int k = 0; k < 2000; k++) {
            Heartbeat h = HeartbeatCodecTest.random(r);
            byte[] bytes = HeartbeatCodec.encode(h);
            HeartbeatCodec.decode(bytes, 0, bytes.length, view);
            assertThat(view.nodeId()).isEqualTo(h.nodeId());
            assertThat(new String(view.data(), view.nodeIdOffset(), view.nodeIdLength(), StandardCharsets.UTF_8))
                    .isEqualTo(h.nodeId());
            assertThat(List.of(view.sequence(), view.sentAtMillis(), view.bytesInPerSecond(),
                    view.bytesOutPerSecond())).isEqualTo(List.of(h.sequence(), h.sentAtMillis(),
                    h.bytesInPerSecond(), h.bytesOutPerSecond()));
            assertThat(List.of(view.periodMillis(), view.queueDepth(), view.instanceCount()))
                    .isEqualTo(List.of(h.periodMillis(), h.queueDepth(), h.instances().size()));
            for (int i = 0; i < h.instances().size(); i++) {
                InstanceStats s = h.instances().get(i);
                byte[] id = s.instanceId().getBytes(StandardCharsets.UTF_8);
                assertThat(view.instanceId(i)).isEqualTo(s.instanceId());
                assertThat(view.instanceIdLength(i)).isEqualTo(id.length);
                assertThat(view.instanceIdEquals(i, id, 0, id.length)).isTrue();
                assertThat(view.instanceIdEquals(i, id, 0, id.length - 1)).isFalse();
                assertThat(new InstanceStats(s.instanceId(), view.requests(i), view.errors(i),
                        view.meanExecutionNanos(i), view.cpuShare(i))).isEqualTo(s);
            }
            assertThat(view.toHeartbeat()).isEqualTo(h);
        }
    }

    @Test
    void instancesPastTheCountAreOutOfRangeEvenWhenAnEarlierDatagramHadThem() throws MalformedHeartbeatException {
        List<InstanceStats> three = List.of(new InstanceStats("a/x.0", 1, 0, 10, 1f),
                new InstanceStats("a/x.1", 1, 0, 10, 1f), new InstanceStats("a/x.2", 1, 0, 10, 1f));
        byte[] big = HeartbeatCodec.encode(new Heartbeat("s0/nic0", 1, 0, 50, 0, 0, 0, three));
        byte[] small = HeartbeatCodec.encode(new Heartbeat("s0/nic0", 2, 0, 50, 0, 0, 0, three.subList(0, 1)));
        HeartbeatCodec.decode(big, 0, big.length, view);
        HeartbeatCodec.decode(small, 0, small.length, view);
        assertThat(view.instanceCount()).isEqualTo(1);
        assertThatThrownBy(() -> view.requests(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> view.instanceId(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void decodesFromAnOffsetInALargerBuffer() throws MalformedHeartbeatException {
        Heartbeat h = new Heartbeat("s0/host", 7, 1_000, 50, 0, 10, 20,
                List.of(new InstanceStats("a/kvs.0", 5, 0, 1_200, 0.25f)));
        byte[] bytes = HeartbeatCodec.encode(h);
        byte[] buffer = new byte[bytes.length + 100];
        System.arraycopy(bytes, 0, buffer, 30, bytes.length);
        HeartbeatCodec.decode(buffer, 30, bytes.length, view);
        assertThat(view.data()).isSameAs(buffer);
        assertThat(view.nodeIdOffset()).isEqualTo(30 + 6);
        assertThat(view.toHeartbeat()).isEqualTo(h);
    }

    @Test
    void rejectsEveryTruncationAndEveryFlippedBitAndStillDecodesTheNextDatagram() throws MalformedHeartbeatException {
        for (int seed = 2; seed < 5; seed++) {
            Heartbeat h = HeartbeatCodecTest.random(new SplittableRandom(seed));
            byte[] bytes = HeartbeatCodec.encode(h);
            for (int n = 0; n < bytes.length; n++) {
                int length = n;
                assertThatThrownBy(() -> HeartbeatCodec.decode(bytes, 0, length, view))
                        .isInstanceOf(MalformedHeartbeatException.class);
            }
            for (int bit = 0; bit < bytes.length * 8; bit++) {
                byte[] damaged = bytes.clone();
                damaged[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThatThrownBy(() -> HeartbeatCodec.decode(damaged, 0, damaged.length, view))
                        .isInstanceOf(MalformedHeartbeatException.class);
            }
            HeartbeatCodec.decode(bytes, 0, bytes.length, view);
            assertThat(view.toHeartbeat()).isEqualTo(h);
        }
    }

    /**
     * Damage behind a checksum that matches (as a buggy or hostile sender would produce): negative figures, a zero
     * period, NaN CPU shares, wrong lengths and counts, ids that are not UTF-8. The codec accepts a datagram exactly
     * when the decoder it replaced did, and then decodes the same heartbeat from it.
     */
    @Test
    void acceptsExactlyWhatThePreviousDecoderAcceptedEvenBehindAValidChecksum() {
        SplittableRandom r = new SplittableRandom(5);
        int rejected = 0;
        for (int k = 0; k < 30_000; k++) {
            byte[] bytes = HeartbeatCodec.encode(HeartbeatCodecTest.random(r));
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
                int at = 5 + r.nextInt(bytes.length - 9);
                bytes[at] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) (bytes[at] ^ 0x80);
            }
            HeartbeatCodecTest.checksum(bytes);
            Heartbeat expected;
            try {
                expected = ByteBufferHeartbeatDecoder.decode(bytes, 0, bytes.length);
            } catch (MalformedHeartbeatException e) {
                rejected++;
                assertThatThrownBy(() -> HeartbeatCodec.decode(bytes, 0, bytes.length, view))
                        .as(e.getMessage()).isInstanceOf(MalformedHeartbeatException.class);
                continue;
            }
            assertThatCodecDecodes(bytes, expected);
        }
        assertThat(rejected).as("damaged datagrams compared").isGreaterThan(10_000);
    }

    private void assertThatCodecDecodes(byte[] bytes, Heartbeat expected) {
        try {
            HeartbeatCodec.decode(bytes, 0, bytes.length, view);
        } catch (MalformedHeartbeatException e) {
            fail("rejected (" + e.getMessage() + ") what the previous decoder took: " + expected, e);
        }
        assertThat(view.toHeartbeat()).isEqualTo(expected);
    }
}
