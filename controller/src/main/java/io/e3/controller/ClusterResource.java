package io.e3.controller;

import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.ComputeNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The managed cluster's nodes with their state, and where every running instance is. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Cluster", description = "The managed cluster, its nodes and where every instance runs")
@APIResponse(responseCode = "401", ref = ControllerApplication.UNAUTHORIZED)
public class ClusterResource {

    @Inject
    ControllerConfig config;

    @Inject
    ControlPlaneManager manager;

    @Inject
    HeartbeatIngest ingest;

    /** One compute node. */
    @Schema(name = "Node", description = "A compute node: a host or a SmartNIC (kind HOST or SMARTNIC), its capacity, "
            + "its agent's address and control URL, whether membership has it up, how many instances it runs")
    public record NodeView(String id, String server, String rack, String kind, int cores, String coreClass,
                           long memoryMiB, double bandwidthGbps, String address, String url, boolean up,
                           int instances) {
    }

    /** One placed instance. */
    @Schema(name = "Placement", description = "A placed instance of an app: its service and microservice type, its "
            + "role (primary or backup) and the node it runs on")
    public record PlacementView(String app, String instance, String service, String type, String role, String node) {
    }

    @GET
    @Path("/cluster")
    @Operation(operationId = "getCluster", summary = "Describe the managed cluster",
            description = "Its name, size, address block and placement algorithm.")
    @APIResponse(responseCode = "200", description = "The cluster", content = @Content(schema = @Schema(
            type = SchemaType.OBJECT, properties = {
                    @SchemaProperty(name = "name", type = SchemaType.STRING,
                            description = "The cluster manifest's name"),
                    @SchemaProperty(name = "servers", type = SchemaType.INTEGER),
                    @SchemaProperty(name = "nodes", type = SchemaType.INTEGER,
                            description = "Compute nodes: hosts and SmartNICs"),
                    @SchemaProperty(name = "addressBlock", type = SchemaType.STRING,
                            description = "The agents' loopback block, 127.B.0.0/16"),
                    @SchemaProperty(name = "placement", type = SchemaType.STRING,
                            description = "The placement algorithm: hcm, annealing, ilp or ilp-comm")})))
    public Map<String, Object> cluster() {
        return Map.of("name", config.cluster().name(), "servers", config.cluster().servers().size(),
                "nodes", config.cluster().nodes().size(), "addressBlock",
                config.plan().block(),
                "placement", config.strategy().name());
    }

    @GET
    @Path("/nodes")
    @Operation(operationId = "listNodes", summary = "List the compute nodes",
            description = "Each host and SmartNIC with its capacity, address, membership (up) and instance count.")
    @APIResponse(responseCode = "200", description = "Every compute node of the cluster")
    public List<NodeView> nodes() {
        Map<String, PlacementResult> placed = manager.placements();
        List<NodeView> out = new ArrayList<>();
        for (ComputeNode n : config.cluster().nodes()) {
            int count = 0;
            for (PlacementResult p : placed.values()) {
                count += (int) p.assignments().stream().filter(a -> a.nodeId().equals(n.id())).count();
            }
            out.add(new NodeView(n.id(), n.serverId(), n.rackId(), n.kind().name(), n.capacity().cores(),
                    n.capacity().coreClass().name(), n.capacity().memoryMiB(), n.capacity().bandwidthGbps(),
                    AddressPlan.text(config.plan().ipOf(n.id())), config.plan().httpUrl(n.id()),
                    ingest.isUp(n.id()), count));
        }
        return out;
    }

    @GET
    @Path("/placements")
    @Operation(operationId = "listPlacements", summary = "List where every instance runs",
            description = "Every placed instance of every app, by app, with its node and role (primary or backup).")
    @APIResponse(responseCode = "200", description = "Every placed instance")
    public List<PlacementView> placements() {
        List<PlacementView> out = new ArrayList<>();
        manager.placements().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            for (Assignment a : e.getValue().assignments()) {
                out.add(new PlacementView(e.getKey(), a.instance().id(), a.instance().service(),
                        a.instance().type().manifestName(), a.instance().role().name().toLowerCase(), a.nodeId()));
            }
        });
        return out;
    }
}
