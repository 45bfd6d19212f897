/**
 * Data-plane orchestrator (§5.4.4) and failover manager (§5.4.5): pure decision logic, no I/O.
 *
 * <p>Owned by this module per DESIGN.md.
 */
package io.e3.orchestrator;
