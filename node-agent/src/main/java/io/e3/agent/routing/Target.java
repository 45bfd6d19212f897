package io.e3.agent.routing;

/**
 * One instance a channel can send to.
 *
 * @param instance its id
 * @param node     the compute node it runs on
 * @param ip       that node's address
 * @param hash     a stable 64-bit hash of the instance id, for shard choice
 */
public record Target(String instance, String node, int ip, long hash) {
}
