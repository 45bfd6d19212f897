package io.e3.cli;

import org.junit.jupiter.api.Test;

import java.net.BindException;

import static org.assertj.core.api.Assertions.assertThat;

class AddressCheckTest {

    @Test
    void explainsAFailureToListenNamingWhere() {
        RuntimeException failed = new IllegalStateException("Address already in use",
                new BindException("Address already in use"));
        RuntimeException explained = AddressCheck.explain(failed, "127.42.1.0 (UDP 7000, TCP 7080)");
        assertThat(explained).hasMessage("cannot listen on 127.42.1.0 (UDP 7000, TCP 7080): Address already in use")
                .hasCause(failed);
    }

    @Test
    void leavesOtherFailuresAsTheyAre() {
        RuntimeException failed = new IllegalStateException("timed out after 30 s");
        assertThat(AddressCheck.explain(failed, "127.42.1.0")).isSameAs(failed);
    }
}
