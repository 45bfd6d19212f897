/**
 * The per-node runtime of §5.4: execution engine, emulated hardware governor, SmartNIC traffic manager, communication
 * subsystem and orchestrator agent.
 *
 * <p>This package wires a node together ({@link io.e3.agent.NodeAgent}, its REST API {@link io.e3.agent.AgentApi},
 * its metrics {@link io.e3.agent.AgentMetrics}, {@link io.e3.agent.EmbeddedCluster}). The subpackages below it,
 * {@code bench} apart, never depend on it: {@code http} (HTTP and Prometheus helpers), {@code emu} (the emulated hardware),
 * {@code net} (frames, the top-of-rack switch), {@code rpc}, {@code routing} and {@code exec}.
 */
package io.e3.agent;
