package io.e3.simulator;

import java.nio.charset.StandardCharsets;

/** The hashes the agents route by, so that the simulator spreads keys and flows the way they do. */
final class Hashing {

    private Hashing() {
    }

    /** The 64-bit finaliser of MurmurHash3 (the agents' {@code Ecmp.mix}). */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** FNV-1a over the UTF-8 bytes, then mixed: the agents' shard hash of an instance id ({@code AppRoutes.hash}). */
    static long of(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** The flow key of a message between two instances (-1: the client), for ECMP. */
    static long flow(int fromInstance, int toInstance, long requestKey) {
        return fromInstance < 0 ? mix(requestKey ^ toInstance) : mix(((long) fromInstance << 32) ^ toInstance);
    }
}
