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

/** The managed cluster's nodes with their state, and where every running instance is. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    @Inject
    ControllerConfig config;

    @Inject
    ControlPlaneManager manager;

    @Inject
    HeartbeatIngest ingest;

    /** One compute node. */
    public record NodeView(String id, String server, String rack, String kind, int cores, String coreClass,
                           long memoryMiB, double bandwidthGbps, String address, String url, boolean up,
                           int instances) {
    }

    /** One placed instance. */
    public record PlacementView(String app, String instance, String service, String type, String role, String node) {
    }

    @GET
    @Path("/cluster")
    public Map<String, Object> cluster() {
        return Map.of("name", config.cluster().name(), "servers", config.cluster().servers().size(),
                "nodes", config.cluster().nodes().size(), "addressBlock",
                config.plan().block(),
                "placement", config.strategy().name());
    }

    @GET
    @Path("/nodes")
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
