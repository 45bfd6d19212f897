/**
 * Discrete-event simulation of whole clusters using the same profiles, placement and orchestrator code.
 *
 * <p>Owned by this module per DESIGN.md; filled in by a later issue.
 */
package io.e3.simulator;
