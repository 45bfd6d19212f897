/**
 * Placement strategies over the host/SmartNIC hierarchy: HCM (Algorithm 3, §5.4.3) and the annealing and ILP baselines. Free of Quarkus, Vert.x and fabric8 types.
 *
 * <p>Owned by this module per DESIGN.md; filled in by issue #3.
 */
package io.e3.placement;
