/**
 * Kubernetes custom resources and the operator that reconciles E3 applications onto Kubernetes nodes.
 *
 * <p>Owned by this module per DESIGN.md; not written yet.
 */
package io.e3.k8s;
