package io.e3.controller;

import io.e3.orchestrator.MembershipNotice;
import io.e3.orchestrator.MigrationDecision;
import io.e3.orchestrator.NodeEvent;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the data plane told the controller: heartbeat counts, the orchestrator's decisions, membership changes. */
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events", description = "What the data plane told the controller")
@APIResponse(responseCode = "401", ref = ControllerApplication.UNAUTHORIZED)
public class EventsResource {

    @Inject
    HeartbeatIngest ingest;

    @Inject
    ControlPlaneManager manager;

    @GET
    @Operation(operationId = "getEvents", summary = "Heartbeat counters, orchestrator decisions, membership changes",
            description = "Since the controller started, oldest first.")
    @APIResponse(responseCode = "200", description = "The events", content = @Content(schema = @Schema(
            type = SchemaType.OBJECT, properties = {
                    @SchemaProperty(name = "heartbeatsReceived", type = SchemaType.INTEGER, format = "int64",
                            description = "Accepted: well-formed, from the node's address, signed with the cluster "
                                    + "token's key, fresh; recorded for membership and fed to the orchestrator"),
                    @SchemaProperty(name = "heartbeatsMalformed", type = SchemaType.INTEGER, format = "int64",
                            description = "Dropped: they did not decode"),
                    @SchemaProperty(name = "heartbeatsMisaddressed", type = SchemaType.INTEGER, format = "int64",
                            description = "Dropped: not from the address the cluster assigns the node they name "
                                    + "(in a server batch: any node of that node's server)"),
                    @SchemaProperty(name = "heartbeatsForged", type = SchemaType.INTEGER, format = "int64",
                            description = "Dropped: their tag does not verify under the cluster token's key"),
                    @SchemaProperty(name = "heartbeatsReplayed", type = SchemaType.INTEGER, format = "int64",
                            description = "Dropped: (epoch, sequence) not above the last accepted from that node"),
                    @SchemaProperty(name = "heartbeatsStale", type = SchemaType.INTEGER, format = "int64",
                            description = "Accepted but ignored by the orchestrator: sequence not above the last "
                                    + "it took from that node"),
                    @SchemaProperty(name = "heartbeatReceiveBufferBytes", type = SchemaType.INTEGER,
                            description = "The heartbeat socket's receive buffer as the system granted it (SO_RCVBUF; "
                                    + "Linux caps what is asked at net.core.rmem_max and reports twice that)"),
                    @SchemaProperty(name = "reconcilePasses", type = SchemaType.INTEGER, format = "int64",
                            description = "Reconcile passes completed since the controller started (the first runs "
                                    + "at start and asks every node's agent what it holds)"),
                    @SchemaProperty(name = "reconciling", type = SchemaType.BOOLEAN,
                            description = "Whether a reconcile pass is running now"),
                    @SchemaProperty(name = "nodesDown", type = SchemaType.INTEGER,
                            description = "Nodes declared down and not readmitted since"),
                    @SchemaProperty(name = "decisions", type = SchemaType.ARRAY,
                            implementation = MigrationDecision.class,
                            description = "The orchestrator's migration decisions (§5.4.4)"),
                    @SchemaProperty(name = "membership", type = SchemaType.ARRAY, implementation = NodeEvent.class,
                            description = "Nodes declared down or up again (§5.4.5)"),
                    @SchemaProperty(name = "membershipNotices", type = SchemaType.ARRAY,
                            implementation = MembershipNotice.class,
                            description = "The failure detector's last 256 notices: disruptions it held off in, "
                                    + "pauses it excused, nodes it readmitted")})))
    public Map<String, Object> events() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heartbeatsReceived", ingest.received());
        out.put("heartbeatsMalformed", ingest.malformed());
        out.put("heartbeatsMisaddressed", ingest.misaddressed());
        out.put("heartbeatsForged", ingest.forged());
        out.put("heartbeatsReplayed", ingest.replayed());
        out.put("heartbeatsStale", ingest.stale());
        out.put("heartbeatReceiveBufferBytes", ingest.receiveBufferBytes());
        Reconciler.Totals reconciled = manager.reconciliation();
        out.put("reconcilePasses", reconciled.completed());
        out.put("reconciling", reconciled.passes() > reconciled.completed());
        out.put("nodesDown", manager.down().size());
        out.put("decisions", ingest.decisions());
        out.put("membership", ingest.events());
        out.put("membershipNotices", ingest.notices());
        return out;
    }
}
