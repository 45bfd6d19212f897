package io.e3.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.controller.TokenAuthFilter.ControllerToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the controller's token comes from, and where a generated one is kept (never the log). */
class ControllerTokenTest {

    @TempDir
    Path state;

    private ControllerToken token(Optional<String> configured) {
        ControllerToken t = new ControllerToken();
        t.configured = configured;
        t.stateDir = state.toString();
        return t;
    }

    @Test
    void configuredTokenWinsAndNothingIsWritten() {
        assertThat(token(Optional.of("given")).value()).isEqualTo("given");
        assertThat(state.resolve(ControllerToken.FILE)).doesNotExist();
    }

    @Test
    void generatedTokenIsKeptInAFileOnlyItsOwnerMayRead() throws Exception {
        String generated = token(Optional.empty()).value();
        Path file = state.resolve(ControllerToken.FILE);
        assertThat(generated).matches("[0-9a-f]{32}");
        assertThat(Files.readString(file)).isEqualTo(generated + "\n");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void restartWithoutAConfiguredTokenKeepsTheGeneratedOne() {
        String first = token(Optional.of(" ")).value();
        assertThat(token(Optional.empty()).value()).isEqualTo(first);
    }
}
