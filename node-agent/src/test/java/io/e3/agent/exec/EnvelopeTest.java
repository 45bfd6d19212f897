package io.e3.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.exec.Envelope.BadEnvelopeException;
import io.e3.model.app.MicroserviceType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeTest {

    private static Envelope parse(String json, long defaultId) throws BadEnvelopeException {
        return Envelope.parse(json.getBytes(StandardCharsets.UTF_8), defaultId);
    }

    @Test
    void fillsInDefaultsForAnEmptyEnvelope() throws Exception {
        Envelope e = parse("{}", 77);

        assertThat(e.key()).isNull();
        assertThat(e.id()).isEqualTo(77);
        assertThat(e.bytes()).isEqualTo(Envelope.DEFAULT_BYTES).isEqualTo(512);
        assertThat(e.stages()).isNull();
        assertThat(e.trace()).isFalse();
    }

    @Test
    void treatsNullFieldsAsAbsent() throws Exception {
        Envelope e = parse("{\"key\": null, \"id\": null, \"bytes\": null, \"stages\": null, \"trace\": null}", 5);

        assertThat(e).isEqualTo(new Envelope(null, 5, 512, null, false));
    }

    @Test
    void readsEveryField() throws Exception {
        Envelope e = parse("{\"key\": \"thermostat-17\", \"id\": 42, \"bytes\": 2048, \"stages\": {\"kv\": {\"op\": \"get\"}}}", 1);

        assertThat(e.key()).isEqualTo("thermostat-17");
        assertThat(e.id()).isEqualTo(42);
        assertThat(e.bytes()).isEqualTo(2048);
        assertThat(e.stages().get("kv").get("op").asText()).isEqualTo("get");
    }

    @Test
    void readsTheTraceFlag() throws Exception {
        assertThat(parse("{\"trace\": true}", 0).trace()).isTrue();
        assertThat(parse("{\"trace\": false}", 0).trace()).isFalse();
    }

    @Test
    void acceptsTheLimits() throws Exception {
        String key = "k".repeat(Envelope.MAX_KEY_LENGTH);
        assertThat(parse("{\"key\": \"" + key + "\", \"bytes\": 1}", 0).key()).isEqualTo(key);
        assertThat(parse("{\"bytes\": 65536, \"id\": -9223372036854775808}", 0).id()).isEqualTo(Long.MIN_VALUE);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            request is not JSON | {"key":
            request is not JSON | not json
            request:            | [1, 2]
            request:            | "text"
            key:                | {"key": 17}
            key:                | {"key": ["a"]}
            id:                 | {"id": "42"}
            id:                 | {"id": true}
            id:                 | {"id": 1e30}
            bytes:              | {"bytes": 0}
            bytes:              | {"bytes": 65537}
            bytes:              | {"bytes": "512"}
            bytes:              | {"bytes": -1}
            stages:             | {"stages": [1]}
            stages:             | {"stages": "kv"}
            trace:              | {"trace": "yes"}
            trace:              | {"trace": 1}
            """)
    void rejectsABadFieldNamingIt(String field, String json) {
        assertThatThrownBy(() -> parse(json, 0))
                .isInstanceOf(BadEnvelopeException.class)
                .hasMessageStartingWith(field);
    }

    @Test
    void rejectsAKeyLongerThanTheLimit() {
        String key = "k".repeat(Envelope.MAX_KEY_LENGTH + 1);
        assertThatThrownBy(() -> parse("{\"key\": \"" + key + "\"}", 0))
                .isInstanceOf(BadEnvelopeException.class).hasMessage("key: expected a string of at most 256 characters");
    }

    @Test
    void rejectsAFractionalId() {
        assertThatThrownBy(() -> parse("{\"id\": 1.5}", 0)).hasMessageStartingWith("id:");
    }

    @Test
    void rejectsFractionalBytes() {
        assertThatThrownBy(() -> parse("{\"bytes\": 512.5}", 0)).hasMessageStartingWith("bytes:");
    }

    @Test
    void givesAServiceItsStageEntryWhenThereIsOne() throws Exception {
        Envelope e = parse("{\"key\": \"k\", \"stages\": {\"kv\": {\"op\": \"put\", \"key\": \"x\", \"value\": \"y\"}}}", 1);

        JsonNode request = e.requestFor("kv", MicroserviceType.KVS);

        assertThat(request).isEqualTo(e.stages().get("kv"));
    }

    @Test
    void rejectsAStageEntryThatIsNotAnObjectNamingTheService() throws Exception {
        Envelope e = parse("{\"stages\": {\"kv\": 3}}", 1);

        assertThatThrownBy(() -> e.requestFor("kv", MicroserviceType.KVS))
                .isInstanceOf(BadEnvelopeException.class).hasMessageStartingWith("stages.kv:");
    }

    @Test
    void samplesTheSameRequestForTheSameKeyIdAndService() throws Exception {
        String json = "{\"key\": \"thermostat-17\", \"id\": 42, \"stages\": {\"other\": {}}}";

        JsonNode first = parse(json, 0).requestFor("kv", MicroserviceType.KVS);
        JsonNode second = parse(json, 0).requestFor("kv", MicroserviceType.KVS);

        assertThat(first).isNotNull().isEqualTo(second);
        assertThat(parse("{\"key\": \"thermostat-17\"}", 42).requestFor("kv", MicroserviceType.KVS)).isEqualTo(first);
    }

    @Test
    void samplesADifferentRequestForADifferentId() throws Exception {
        JsonNode first = parse("{\"key\": \"thermostat-17\", \"id\": 42}", 0).requestFor("kv", MicroserviceType.KVS);
        JsonNode other = parse("{\"key\": \"thermostat-17\", \"id\": 43}", 0).requestFor("kv", MicroserviceType.KVS);

        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void samplesRequestsOfAboutTheAskedSize() throws Exception {
        int small = parse("{\"id\": 1, \"bytes\": 128}", 0).requestFor("n", MicroserviceType.NIDS).toString().length();
        int large = parse("{\"id\": 1, \"bytes\": 8192}", 0).requestFor("n", MicroserviceType.NIDS).toString().length();

        assertThat(large).isGreaterThan(4 * small);
    }
}
