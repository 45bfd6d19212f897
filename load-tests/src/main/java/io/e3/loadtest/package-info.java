/**
 * Load generation, experiment running and the energy and cost reports of §5.6.
 */
package io.e3.loadtest;
