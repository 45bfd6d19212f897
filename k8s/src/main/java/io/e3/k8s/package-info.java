/**
 * Kubernetes custom resources and the operator that reconciles E3 applications onto Kubernetes nodes.
 *
 * <p>Owned by this module per DESIGN.md; filled in by a later issue.
 */
package io.e3.k8s;
