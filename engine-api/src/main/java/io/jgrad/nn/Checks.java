package io.jgrad.nn;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Tensor;
import io.jgrad.amp.Autocast;

/**
 * Argument checks shared by the modules and losses, so their error messages read alike. {@code who} is the op name
 * or the module itself; a module is printed only when a check fails, keeping forward calls free of string work.
 */
final class Checks {
    private Checks() {
    }

    /** "float32[2, 3] on cpu". */
    static String describe(Tensor t) {
        return t.dtype() + "" + t.shape() + " on " + t.device();
    }

    /**
     * Fails unless {@code input} has the dtype and device of the module's parameter {@code param}; inside an autocast
     * scope a float32 or half-precision input meets a float32 or half-precision parameter, since the op casts both.
     */
    static void matches(Object who, Tensor input, Tensor param, String paramName) {
        if (!Autocast.reconciles(input.dtype(), param.dtype()) || !input.device().equals(param.device())) {
            throw new IllegalArgumentException(who + ": input " + describe(input) + " does not match " + paramName + " "
                    + describe(param) + "; convert the input (to(DType), to(Device)) or the module (Module.to)");
        }
    }

    static void floating(Object who, String what, Tensor t) {
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(who + ": " + what + " must be floating, got " + describe(t));
    }

    static void int64(Object who, String what, Tensor t) {
        if (t.dtype() != DType.INT64) throw new IllegalArgumentException(who + ": " + what + " must be int64, got " + describe(t));
    }

    static void sameDevice(Object who, Tensor a, String aName, Tensor b, String bName) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(who + ": " + aName + " " + describe(a) + " and " + bName + " " + describe(b)
                    + " are on different devices");
        }
    }

    /**
     * Fails unless every value of the int64 tensor lies in [0, bound). Reads the values to the host, so it runs only
     * for CPU tensors: on a device that read would stall the queue every step, and the backend reports a bad index
     * itself at the next synchronisation.
     */
    static void indicesBelow(Object who, String what, Tensor indices, long bound) {
        if (!indices.device().equals(Device.CPU)) return;
        long[] v = indices.toLongArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= bound) {
                throw new IndexOutOfBoundsException(who + ": " + what + " value " + v[i] + " (element " + i + " of shape "
                        + indices.shape() + ") is out of range [0, " + bound + ")");
            }
        }
    }
}
