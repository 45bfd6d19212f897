/**
 * The 16 microservices of Table 5.2 and the reliable-collection state API (§5.3.1, §5.5).
 *
 * <p>Owned by this module per DESIGN.md; filled in by issue #4.
 */
package io.e3.microservices;
