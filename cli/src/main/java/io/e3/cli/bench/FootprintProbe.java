package io.e3.cli.bench;

import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.services.MicroserviceCatalog;
import io.e3.model.app.MicroserviceType;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

/**
 * Prints the heap one instance of a type keeps, measured in a JVM of its own so that reference data the type's
 * classes build once per process (an index, a model, a routing table) counts: heap in use after a full collection
 * before the type is first touched, and again after one instance has served {@value MicroserviceBenchmark#PRIMING}
 * sample requests of 512 B. Approximate, as any heap measurement is.
 *
 * <p>Usage: {@code FootprintProbe TYPE}; prints the number of bytes.
 */
public final class FootprintProbe {

    private FootprintProbe() {
    }

    public static void main(String[] args) throws InvalidRequestException {
        MicroserviceType type = MicroserviceType.byManifestName(args[0])
                .orElseThrow(() -> new IllegalArgumentException("unknown type " + args[0]));
        long before = heapAfterGc();
        MicroserviceCatalog.Entry entry = MicroserviceCatalog.describe(type);
        Microservice instance = entry.create();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < MicroserviceBenchmark.PRIMING; i++) {
            instance.handle(entry.sampler().sample(random, 512));
        }
        long after = heapAfterGc();
        java.lang.ref.Reference.reachabilityFence(instance);
        System.out.println(Math.max(0, after - before));
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc(); // a footprint is only meaningful after a full collection
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
