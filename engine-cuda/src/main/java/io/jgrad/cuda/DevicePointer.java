package io.jgrad.cuda;

import jcuda.driver.CUdeviceptr;

/** A device pointer whose raw address can be read, so kernels can take addresses inside one argument struct. */
final class DevicePointer extends CUdeviceptr {
    long address() {
        return getNativePointer();
    }
}
