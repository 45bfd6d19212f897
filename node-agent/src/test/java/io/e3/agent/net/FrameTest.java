package io.e3.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameTest {

    private static final Frame REQUEST = new Frame(Frame.Kind.REQUEST, Frame.Status.OK, 11, 22, 33, 44L, "a/b.0",
            "{}".getBytes(StandardCharsets.UTF_8));

    @Test
    void acknowledgesTheRequestBackToItsSenderOnTheSameFlow() {
        Frame ack = Frame.ack(REQUEST);

        assertThat(ack.kind()).isEqualTo(Frame.Kind.ACK);
        assertThat(ack.status()).isEqualTo(Frame.Status.OK);
        assertThat(ack.srcIp()).isEqualTo(22);
        assertThat(ack.dstIp()).isEqualTo(11);
        assertThat(ack.flowId()).isEqualTo(33);
        assertThat(ack.requestId()).isEqualTo(44L);
        assertThat(ack.instance()).isEqualTo("a/b.0");
        assertThat(ack.payload()).isEmpty();
    }

    @Test
    void answersTheRequestBackToItsSenderWithStatusAndPayload() {
        byte[] body = "{\"error\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        Frame response = Frame.response(REQUEST, Frame.Status.BAD_REQUEST, body);

        assertThat(response.kind()).isEqualTo(Frame.Kind.RESPONSE);
        assertThat(response.status()).isEqualTo(Frame.Status.BAD_REQUEST);
        assertThat(response.srcIp()).isEqualTo(22);
        assertThat(response.dstIp()).isEqualTo(11);
        assertThat(response.flowId()).isEqualTo(33);
        assertThat(response.requestId()).isEqualTo(44L);
        assertThat(response.instance()).isEqualTo("a/b.0");
        assertThat(response.payload()).isEqualTo(body);
    }

    @Test
    void requiresEveryReferenceField() {
        assertThatThrownBy(() -> new Frame(null, Frame.Status.OK, 1, 2, 3, 4, "i", new byte[0]))
                .isInstanceOf(NullPointerException.class).hasMessage("kind");
        assertThatThrownBy(() -> new Frame(Frame.Kind.ACK, null, 1, 2, 3, 4, "i", new byte[0]))
                .isInstanceOf(NullPointerException.class).hasMessage("status");
        assertThatThrownBy(() -> new Frame(Frame.Kind.ACK, Frame.Status.OK, 1, 2, 3, 4, null, new byte[0]))
                .isInstanceOf(NullPointerException.class).hasMessage("instance");
        assertThatThrownBy(() -> new Frame(Frame.Kind.ACK, Frame.Status.OK, 1, 2, 3, 4, "i", null))
                .isInstanceOf(NullPointerException.class).hasMessage("payload");
    }
}
