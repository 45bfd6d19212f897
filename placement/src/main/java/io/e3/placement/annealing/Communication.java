package io.e3.placement.annealing;

/**
 * Traffic from one instance to another (a problem fact): the solver weighs it by the latency of the hop between
 * their nodes. It names the instances by id, since facts must not hold the entities the solver clones.
 *
 * @param from           the caller's id
 * @param to             the callee's id
 * @param bytesPerSecond the share of the channel's traffic this pair carries
 */
public record Communication(String from, String to, double bytesPerSecond) {
}
