#!/usr/bin/env bash
# Regenerates the float64 twins of the float32 kernel loops (PlainDgemm.java from PlainSgemm.java, and the regions
# marked "@generated float64" in BinaryKernels.java, ReduceKernels.java and PoolKernels.java) from their templates. KernelTwinsTest
# fails while a twin is stale. See src/test/java/io/jgrad/cpu/KernelTwins.java for the rules.
set -euo pipefail
MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec java "$MODULE/src/test/java/io/jgrad/cpu/KernelTwins.java" "$MODULE"
