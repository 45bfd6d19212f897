package io.e3.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code e3 delete app NAME}: undeploys an app from a running controller. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {
                "Delete an app from a running controller.",
                "The controller undeploys the app's instances from their nodes. It answers at once and undeploys "
                        + "after; the app shows as 'being deleted' in 'e3 get apps' until it is gone.",
                "An app that does not exist exits with 1."},
        footer = {"", ControllerOptions.FOOTER, "", "Example:", "  e3 delete app iot-ts"})
final class DeleteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "app (or apps): only apps can be deleted.")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "The app's name.")
    String name;

    @CommandLine.Mixin
    ControllerOptions controller;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!kind.equals("app") && !kind.equals("apps")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "only apps can be deleted: e3 delete app "
                    + "NAME; got '" + kind + "'");
        }
        ControllerClient client = controller.connect(spec);
        ControllerClient.require(client.delete("/v1/apps/" + ControllerClient.segment(name)), 202);
        spec.commandLine().getOut().println("app " + name + " deleting");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
