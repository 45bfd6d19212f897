package io.e3.controller;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the data plane told the controller: heartbeat counts, the orchestrator's decisions, membership changes. */
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    @Inject
    HeartbeatIngest ingest;

    @GET
    public Map<String, Object> events() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heartbeatsReceived", ingest.received());
        out.put("heartbeatsMalformed", ingest.malformed());
        out.put("heartbeatsStale", ingest.stale());
        out.put("decisions", ingest.decisions());
        out.put("membership", ingest.events());
        return out;
    }
}
