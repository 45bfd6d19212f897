package io.e3.agent.routing;

/**
 * One instance a channel can send to.
 *
 * @param instance its id
 * @param node     the compute node it runs on
 * @param ip       that node's address
 * @param hash     a stable 64-bit hash of the shard it serves (its own id, or its primary's when it is a promoted
 *                 backup), for shard choice
 */
public record Target(String instance, String node, int ip, long hash) {
}
