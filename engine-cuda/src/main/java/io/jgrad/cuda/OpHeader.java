package io.jgrad.cuda;

import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import java.util.Locale;

/**
 * Writes {@code src/main/cuda/ops.cuh}, the op codes the kernels switch on, from the SPI's op enums: each op's code is
 * its ordinal, so a new op in {@link UnaryOp} or {@link BinaryOp} gets its CUDA code without anyone writing a number.
 * {@code OpHeaderTest} fails, naming the differing lines, when the committed header no longer matches the enums;
 * regenerate it with {@code -Djgrad.cuda.writeOpHeader=true} on that test (docs/DESIGN.md has the command), then
 * rebuild the PTX.
 */
final class OpHeader {
    private OpHeader() {
    }

    /** The header's text. */
    static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("// GENERATED from io.jgrad.spi.UnaryOp, BinaryOp and ReduceOp by io.jgrad.cuda.OpHeader: do not edit.\n");
        sb.append("// Regenerate with OpHeaderTest and -Djgrad.cuda.writeOpHeader=true (see docs/DESIGN.md), then build-ptx.sh.\n");
        sb.append("#pragma once\n\n");
        sb.append("// Unary op codes (UnaryOp ordinals); U_IDENTITY is biasActivation without an activation.\n");
        enumBlock(sb, "UnaryCode", "U_", UnaryOp.values(), "U_IDENTITY = " + OpCodes.UNARY_IDENTITY);
        sb.append("\n// Binary op codes (BinaryOp ordinals).\n");
        enumBlock(sb, "BinaryCode", "B_", BinaryOp.values(), null);
        sb.append("\n// Reduction codes (ReduceOp ordinals).\n");
        enumBlock(sb, "ReduceCode", "R_", ReduceOp.values(), null);
        return sb.toString();
    }

    private static void enumBlock(StringBuilder sb, String name, String prefix, Enum<?>[] ops, String extra) {
        sb.append("enum ").append(name).append(" {\n");
        for (Enum<?> op : ops) {
            sb.append("    ").append(prefix).append(op.name().toUpperCase(Locale.ROOT)).append(" = ").append(op.ordinal()).append(",\n");
        }
        if (extra != null) sb.append("    ").append(extra).append(",\n");
        sb.append("};\n");
    }
}
