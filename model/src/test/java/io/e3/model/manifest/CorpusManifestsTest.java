package io.e3.model.manifest;

import io.e3.model.app.AppSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The public call graphs of examples/corpus/ are valid apps of 10 to 50 services that say where they come from. */
class CorpusManifestsTest {

    private static final Path CORPUS = Path.of("..", "examples", "corpus");

    static List<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void holdsAtLeastSixGraphs() throws IOException {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void loadsWithoutViolationsAsOneAppOfTenToFiftyServices(Path file) throws ManifestException {
        List<Manifest> manifests = Manifests.load(file);
        assertThat(manifests).hasSize(1);
        assertThat(manifests.get(0)).isInstanceOf(AppManifest.class);
        AppSpec app = ((AppManifest) manifests.get(0)).app();
        assertThat(app.name() + ".yaml").isEqualTo(file.getFileName().toString());
        assertThat(app.services()).hasSizeBetween(10, 50);
        assertThat(app.instanceCount()).isBetween(30, 200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void startsWithCommentsNamingItsSourceRepository(Path file) throws IOException {
        String text = Files.readString(file);
        assertThat(text).startsWith("# ").contains("Source: repository ").contains("Types (");
    }
}
