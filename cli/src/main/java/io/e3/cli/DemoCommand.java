package io.e3.cli;

import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.placement.PlacementResult;
import io.e3.placement.PlacementRequest;
import io.e3.placement.hcm.HcmStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code e3 demo}: the main job on the embedded default cluster. It grows with the platform; this build reads and
 * validates the example cluster and app and shows what they amount to.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "Run the main job on the built-in default cluster (3x Type1-SmartNIC, §5.6.1) with the IoT "
                        + "thermostat app (IOT-TS, Figure 5.1).",
                "This build loads, validates and describes both and places the app with HCM (Algorithm 3); "
                        + "execution and migration are not part of it yet."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    static final String DEFAULT_CLUSTER = "clusters/3x-type1-smartnic.yaml";
    static final String DEFAULT_APP = "apps/iot-ts.yaml";

    @Option(names = "--cluster", paramLabel = "FILE",
            description = "A cluster manifest instead of the built-in examples/" + DEFAULT_CLUSTER + ".")
    String clusterFile;

    @Option(names = "--app", paramLabel = "FILE",
            description = "An app manifest instead of the built-in examples/" + DEFAULT_APP + ".")
    String appFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ManifestException {
        PrintWriter out = spec.commandLine().getOut();
        ClusterManifest cluster = ManifestSources.first(ClusterManifest.class, ClusterManifest.KIND, clusterFile,
                DEFAULT_CLUSTER, E3Command.stdin(spec));
        AppManifest app = ManifestSources.first(AppManifest.class, AppManifest.KIND, appFile, DEFAULT_APP,
                E3Command.stdin(spec));
        out.println("E3 demo: " + app.name() + " on " + cluster.name());
        out.println("Both manifests are valid.");
        out.println();
        ClusterReport.of(cluster.cluster(), cluster.origin()).print(out);
        out.println();
        AppReport.of(app.app(), app.origin()).print(out);
        out.println();
        PlacementResult placed = new HcmStrategy().place(PlacementRequest.of(cluster.cluster(), app.app()));
        PlacementReport.of(cluster.cluster(), List.of(app.app()), List.of(placed)).print(out);
        out.println();
        out.println("Not in this build yet: deploying the app on the emulated cluster by a controller, watching and "
                + "migrating. Try e3 validate, e3 describe and e3 place on your own manifests (docs/manifests.md), run "
                + "any of the 16 microservices by hand (e3 microservices list, e3 invoke TYPE; docs/microservices.md), "
                + "and start the emulated cluster itself with e3 cluster up --cluster "
                + "examples/clusters/3x-type1-smartnic.yaml (docs/node-agent.md).");
        return ExitCodes.OK;
    }
}
