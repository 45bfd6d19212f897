package io.e3.model.app;

import java.util.Objects;

/**
 * A channel between two services, in the direction of RPC flow: {@code from} sends requests, {@code to} answers them.
 *
 * @param from    the calling service
 * @param to      the called service
 * @param routing how a request picks an instance of {@code to}
 * @param load    the traffic it is expected to carry
 */
public record ChannelSpec(String from, String to, RoutingPolicy routing, ChannelLoad load) {

    public ChannelSpec {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(load, "load");
    }

    public static ChannelSpec of(String from, String to, RoutingPolicy routing) {
        return new ChannelSpec(from, to, routing, ChannelLoad.UNSTATED);
    }
}
