package io.e3.cli;

import io.e3.model.topology.AddressPlan;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the parts of an emulated cluster can listen where their {@link AddressPlan} puts them (UDP data port, TCP
 * control port), found out before anything starts so that every taken address is named at once. A port that is
 * taken between this check and the start still fails the start; {@link #explain} words that failure.
 */
final class AddressCheck {

    private AddressCheck() {
    }

    /** Bad input, one line per part that cannot listen; {@code parts} maps a part's name to its address. */
    static void requireFree(AddressPlan plan, String block, Map<String, Integer> parts) {
        List<String> problems = new ArrayList<>();
        parts.forEach((part, ip) -> check(plan, block, part, ip).ifPresent(problems::add));
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
    }

    private static Optional<String> check(AddressPlan plan, String block, String part, int ip) {
        InetAddress address = inet(ip);
        List<String> refused = new ArrayList<>();
        String reason = null;
        try (DatagramSocket udp = new DatagramSocket(null)) {
            udp.bind(new InetSocketAddress(address, plan.dataPort()));
        } catch (IOException e) {
            refused.add("UDP " + plan.dataPort());
            reason = e.getMessage();
        }
        try (ServerSocket tcp = new ServerSocket()) {
            // As Vert.x binds its servers, so that connections of an earlier run in TIME_WAIT do not count.
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, plan.httpPort()));
        } catch (IOException e) {
            refused.add("TCP " + plan.httpPort());
            reason = reason == null ? e.getMessage() : reason;
        }
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(part + " " + AddressPlan.text(ip) + ": cannot listen on " + String.join(" and ", refused)
                + ": " + reason + hint(reason, block));
    }

    private static String hint(String reason, String block) {
        String r = String.valueOf(reason).toLowerCase(Locale.ROOT);
        if (r.contains("in use")) {
            return "; another cluster may be running on " + block + " (choose another --address-block)";
        }
        if (r.contains("assign")) {
            return "; this system does not take " + block + " as loopback addresses (Linux does; elsewhere add "
                    + "them as aliases of the loopback interface)";
        }
        return "";
    }

    private static InetAddress inet(int ip) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8),
                    (byte) ip});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** {@code e} with a message naming {@code where} if it is a failure to listen; otherwise {@code e} itself. */
    static RuntimeException explain(RuntimeException e, String where) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return new IllegalStateException("cannot listen on " + where + ": " + t.getMessage(), e);
            }
        }
        return e;
    }
}
