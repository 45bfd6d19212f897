/**
 * The cluster resource controller of §5.4 on Quarkus: REST API, control-plane manager, traffic control, migration driver.
 *
 * <p>Owned by this module per DESIGN.md.
 */
package io.e3.controller;
