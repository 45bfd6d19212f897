package io.e3.microservices.services;

import java.nio.charset.StandardCharsets;

/** Stable 64-bit hashing of keys, the same on every node and across migrations (unlike String.hashCode's mix). */
final class Hashing {

    private Hashing() {
    }

    /** FNV-1a over the UTF-8 bytes, then a 64-bit finaliser (MurmurHash3 fmix64) to spread the bits. */
    static long hash64(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
