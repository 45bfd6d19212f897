/**
 * The per-node runtime of §5.4: execution engine, emulated hardware governor, SmartNIC traffic manager, communication subsystem and orchestrator agent.
 *
 * <p>Owned by this module per DESIGN.md.
 */
package io.e3.agent;
