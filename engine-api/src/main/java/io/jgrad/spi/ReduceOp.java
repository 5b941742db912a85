package io.jgrad.spi;

/** Reductions along one axis. ARGMAX and ARGMIN write int64 indices (the first one on ties). */
public enum ReduceOp {
    SUM, MAX, MIN, ARGMAX, ARGMIN
}
