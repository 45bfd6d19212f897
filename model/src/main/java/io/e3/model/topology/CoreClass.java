package io.e3.model.topology;

/** Processor core classes of Table 5.4: beefy (BC) and wimpy (WC) cores. */
public enum CoreClass {
    /** Xeon-class server cores (Table 5.4, column BC). */
    BEEFY,
    /** cnMIPS-class low-power cores, as on the LiquidIO SmartNIC and the Wimpy server (Table 5.4, column WC). */
    WIMPY
}
