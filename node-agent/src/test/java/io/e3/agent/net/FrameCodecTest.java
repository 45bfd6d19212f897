package io.e3.agent.net;

import io.e3.model.topology.AddressPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {

    private static final int SRC = AddressPlan.parse("127.42.0.10");
    private static final int DST = AddressPlan.parse("200.1.2.3"); // negative as an int
    private static final String ID = "shop/store.3";

    private static Frame frame(Frame.Kind kind, Frame.Status status, String instance, byte[] payload) {
        return new Frame(kind, status, SRC, DST, -7, 0x1234_5678_9abc_def0L, instance, payload);
    }

    private static Frame sample() {
        return frame(Frame.Kind.REQUEST, Frame.Status.OK, ID, "{\"key\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static Frame roundTrip(Frame f) throws MalformedFrameException {
        byte[] encoded = FrameCodec.encode(f);
        return FrameCodec.decode(encoded, 0, encoded.length);
    }

    private static void assertSame(Frame actual, Frame expected) {
        assertThat(actual).usingRecursiveComparison().ignoringFields("payload").isEqualTo(expected);
        assertThat(Arrays.equals(actual.payload(), expected.payload())).as("same payload").isTrue();
    }

    @Test
    void refusesAnInstanceIdThatIsNotValidUtf8() {
        byte[] encoded = FrameCodec.encode(frame(Frame.Kind.REQUEST, Frame.Status.OK, "x".repeat(200), new byte[0]));
        java.util.Arrays.fill(encoded, 29, 229, (byte) 0xff);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(encoded, 0, encoded.length - 4);
        java.nio.ByteBuffer.wrap(encoded).putInt(encoded.length - 4, (int) crc.getValue());
        assertThatThrownBy(() -> FrameCodec.decode(encoded, 0, encoded.length))
                .isInstanceOf(MalformedFrameException.class).hasMessage("instance id is not valid UTF-8");
    }

    @Test
    void roundTripsEveryKindWithEveryStatus() throws MalformedFrameException {
        for (Frame.Kind kind : Frame.Kind.values()) {
            for (Frame.Status status : Frame.Status.values()) {
                Frame f = frame(kind, status, ID, ("{\"s\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
                assertSame(roundTrip(f), f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "café/ünïcode.0", "emoji/🚀.1", "日本語/サービス.42"})
    void roundTripsInstanceIdsOfAnyUnicode(String instance) throws MalformedFrameException {
        Frame f = frame(Frame.Kind.RESPONSE, Frame.Status.OK, instance, new byte[] {1, 2, 3});
        assertThat(roundTrip(f).instance()).isEqualTo(instance);
    }

    @Test
    void roundTripsAnEmptyPayload() throws MalformedFrameException {
        Frame ack = Frame.ack(sample());
        assertThat(ack.payload()).isEmpty();
        assertSame(roundTrip(ack), ack);
    }

    @Test
    void fitsTheLargestPayloadWithTheLongestInstanceIdInOneDatagram() throws MalformedFrameException {
        byte[] payload = new byte[FrameCodec.MAX_PAYLOAD];
        Arrays.fill(payload, (byte) 'x');
        Frame f = frame(Frame.Kind.REQUEST, Frame.Status.OK, "a".repeat(255), payload);

        byte[] encoded = FrameCodec.encode(f);
        assertThat(encoded).hasSize(FrameCodec.MAX_DATAGRAM);
        assertSame(FrameCodec.decode(encoded, 0, encoded.length), f);
    }

    @Test
    void refusesAFrameOneByteLargerThanADatagram() {
        Frame f = frame(Frame.Kind.REQUEST, Frame.Status.OK, "a".repeat(255), new byte[FrameCodec.MAX_PAYLOAD + 1]);
        assertThatThrownBy(() -> FrameCodec.encode(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(FrameCodec.MAX_DATAGRAM));
    }

    @Test
    void refusesAnInstanceIdOverTwoHundredFiftyFiveBytesOfUtf8() {
        Frame f = frame(Frame.Kind.REQUEST, Frame.Status.OK, "é".repeat(128), new byte[0]); // 128 chars, 256 bytes
        assertThatThrownBy(() -> FrameCodec.encode(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255 bytes");
    }

    @Test
    void rejectsEverySingleBitFlip() {
        byte[] encoded = FrameCodec.encode(sample());
        for (int bit = 0; bit < encoded.length * 8; bit++) {
            byte[] flipped = encoded.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(catchThrowable(() -> FrameCodec.decode(flipped, 0, flipped.length)))
                    .as("bit %d", bit).isInstanceOf(MalformedFrameException.class);
        }
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] encoded = FrameCodec.encode(sample());
        for (int length = 0; length < encoded.length; length++) {
            int n = length;
            assertThat(catchThrowable(() -> FrameCodec.decode(encoded, 0, n)))
                    .as("first %d bytes", n).isInstanceOf(MalformedFrameException.class);
        }
    }

    @Test
    void namesABadMagicOrAnUnsupportedVersionEvenWithAValidChecksum() {
        byte[] badMagic = FrameCodec.encode(sample());
        badMagic[0] = 'X';
        resign(badMagic);
        byte[] badVersion = FrameCodec.encode(sample());
        badVersion[4] = 2;
        resign(badVersion);

        assertThatThrownBy(() -> FrameCodec.decode(badMagic, 0, badMagic.length))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> FrameCodec.decode(badVersion, 0, badVersion.length))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("version 2");
    }

    @Test
    void namesAnUnknownKindOrStatusEvenWithAValidChecksum() {
        byte[] badKind = FrameCodec.encode(sample());
        badKind[5] = 3;
        resign(badKind);
        byte[] badStatus = FrameCodec.encode(sample());
        badStatus[6] = (byte) Frame.Status.values().length;
        resign(badStatus);

        assertThatThrownBy(() -> FrameCodec.decode(badKind, 0, badKind.length)).hasMessageContaining("kind 3");
        assertThatThrownBy(() -> FrameCodec.decode(badStatus, 0, badStatus.length)).hasMessageContaining("status 6");
    }

    @Test
    void decodesAndPeeksAFrameInsideALargerBuffer() throws MalformedFrameException {
        byte[] encoded = FrameCodec.encode(sample());
        byte[] buffer = new byte[encoded.length + 20];
        System.arraycopy(encoded, 0, buffer, 7, encoded.length);

        assertSame(FrameCodec.decode(buffer, 7, encoded.length), sample());
        assertThat(FrameCodec.peekSource(buffer, 7)).isEqualTo(SRC);
        assertThat(FrameCodec.peekDestination(buffer, 7)).isEqualTo(DST);
        assertThat(FrameCodec.peekFlow(buffer, 7)).isEqualTo(-7);
        assertThat(FrameCodec.peekDestination(encoded, 0)).isEqualTo(DST);
    }

    /** Rewrites the trailing CRC-32C so that only the deliberate defect remains. */
    private static void resign(byte[] encoded) {
        CRC32C crc = new CRC32C();
        crc.update(encoded, 0, encoded.length - 4);
        ByteBuffer.wrap(encoded).putInt(encoded.length - 4, (int) crc.getValue());
    }
}
