/**
 * Load generation, experiment running and the energy and cost reports of §5.6.
 *
 * <p>Owned by this module per DESIGN.md.
 */
package io.e3.loadtest;
