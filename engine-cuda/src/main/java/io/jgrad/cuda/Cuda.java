package io.jgrad.cuda;

import jcuda.driver.CUresult;

/** Return-code checking for driver calls: JCuda's own exceptions are off, so every call site checks. */
final class Cuda {
    private Cuda() {
    }

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) throw new CudaException(call + " failed: " + CUresult.stringFor(result));
    }

    static void check(int result, String call, Object detail) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + CUresult.stringFor(result) + " (" + detail + ")");
        }
    }

    /**
     * The useful line of a native-library load failure. JCuda's UnsatisfiedLinkError message holds two nested
     * stack traces; the line that names the missing file or symbol is the one a user needs.
     */
    static String linkFailure(Throwable t) {
        String message = String.valueOf(t.getMessage());
        String best = null;
        for (String line : message.split("\n")) {
            int at = line.indexOf("UnsatisfiedLinkError: ");
            if (at < 0) continue;
            String text = line.substring(at + "UnsatisfiedLinkError: ".length()).trim();
            if (text.contains("cannot open shared object") || text.contains("undefined symbol")
                    || text.contains("version") || best == null) {
                best = text;
            }
        }
        return best != null ? best : t.toString().split("\n")[0];
    }
}
