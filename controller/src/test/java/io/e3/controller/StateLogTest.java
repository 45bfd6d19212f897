package io.e3.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable log: what is appended is replayed, a torn last record is dropped, compaction replaces atomically. */
class StateLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ObjectNode rec(int i) {
        return JSON.createObjectNode().put("op", "apply").put("app", "a" + i);
    }

    @Test
    void appendedRecordsAreReplayedInOrderAcrossReopening() {
        Path file = dir.resolve("s/controller.log");
        try (StateLog log = new StateLog(file)) {
            log.append(rec(1));
            log.append(rec(2));
        }
        try (StateLog log = new StateLog(file)) {
            assertThat(log.replay()).extracting(r -> r.path("app").asText()).containsExactly("a1", "a2");
        }
    }

    @Test
    void aTornLastRecordIsDroppedOnOpenAndAppendingGoesOnAfterIt() throws Exception {
        Path file = dir.resolve("controller.log");
        try (StateLog log = new StateLog(file)) {
            log.append(rec(1));
        }
        Files.writeString(file, "{\"op\": \"apply\", \"app\": \"a2", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (StateLog log = new StateLog(file)) {
            assertThat(log.replay()).extracting(r -> r.path("app").asText()).containsExactly("a1");
            log.append(rec(3));
        }
        assertThat(Files.readString(file)).doesNotContain("a2").endsWith("\n");
        try (StateLog log = new StateLog(file)) {
            assertThat(log.replay()).extracting(r -> r.path("app").asText()).containsExactly("a1", "a3");
        }
    }

    @Test
    void corruptionInTheMiddleIsReportedWithItsLine() throws Exception {
        Path file = dir.resolve("controller.log");
        Files.writeString(file, rec(1) + "\n{\"op\": \"apply\", \"app\": \n" + rec(3) + "\n", StandardCharsets.UTF_8);
        try (StateLog log = new StateLog(file)) {
            assertThatThrownBy(log::replay).hasMessageContaining("controller.log:2: corrupt record");
        }
    }

    @Test
    void compactionReplacesTheLogAndAppendingGoesOn() {
        Path file = dir.resolve("controller.log");
        try (StateLog log = new StateLog(file)) {
            for (int i = 0; i < 10; i++) {
                log.append(rec(i));
            }
            log.compact(List.of(rec(7)));
            log.append(rec(8));
            assertThat(log.replay()).extracting(r -> r.path("app").asText()).containsExactly("a7", "a8");
        }
        assertThat(Files.exists(dir.resolve("controller.log.tmp"))).isFalse();
    }
}
