package io.jgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.spi.Availability;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What automatic selection logs when it passes over a better backend: INFO when it is not installed, WARN when broken. */
class BackendsFallbackTest {

    @Test
    void aBackendThatIsNotInstalledGivesOneShortInfoLine() {
        Map<String, Availability> skipped = new LinkedHashMap<>();
        skipped.put("cuda", Availability.absent("no NVIDIA driver (libcuda.so.1 not found)"));
        assertTrue(Backends.isExpected(skipped), "a CPU machine without a driver is the normal case: INFO, not WARN");
        String line = Backends.fallbackMessage("cpu", skipped);
        assertEquals("Using backend cpu: no NVIDIA driver (libcuda.so.1 not found)", line);
    }

    @Test
    void aDriverThatIsPresentButUnusableIsAWarning() {
        Map<String, Availability> skipped = new LinkedHashMap<>();
        skipped.put("cuda", Availability.no("the NVIDIA driver supports CUDA 11.4, but jgrad's kernels need CUDA 12.0 or newer"));
        assertFalse(Backends.isExpected(skipped));
        assertEquals("Falling back to backend 'cpu': cuda unavailable: the NVIDIA driver supports CUDA 11.4, but jgrad's"
                + " kernels need CUDA 12.0 or newer", Backends.fallbackMessage("cpu", skipped));
        // One broken backend among absent ones still warns.
        skipped.put("other", Availability.absent("not installed"));
        assertFalse(Backends.isExpected(skipped));
    }

    @Test
    void nothingSkippedNothingToSay() {
        assertNull(Backends.fallbackMessage("cuda", new LinkedHashMap<>()));
    }
}
