package io.e3.agent.rpc;

import io.e3.agent.net.Frame;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** A handler that answers every request with its own payload and counts how often it saw each payload. */
final class Echo implements Endpoint.Handler {

    final Map<String, Integer> handled = new ConcurrentHashMap<>();

    @Override
    public void handle(Frame request, BiConsumer<Frame.Status, byte[]> reply) {
        handled.merge(text(request.payload()), 1, Integer::sum);
        reply.accept(Frame.Status.OK, request.payload());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
