package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.spi.Availability;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs everywhere: without a GPU it checks that the backend says exactly why it cannot run. */
class CudaAvailabilityTest {
    private final CudaBackendProvider provider = new CudaBackendProvider();

    @Test
    void providerIsFoundByServiceLoaderUnderItsName() {
        assertTrue(Backends.names().contains("cuda"), "ServiceLoader should list cuda, found " + Backends.names());
        assertEquals("cuda", provider.name());
        assertEquals(100, provider.priority());
    }

    @Test
    void availabilityIsProbedOnceAndHasAReason() {
        Availability first = provider.availability();
        assertSame(first, provider.availability(), "the probe result is cached");
        assertFalse(first.reason() == null || first.reason().isBlank(), "a reason or detail is always given");
        assertFalse(first.reason().contains("nested stack traces"), "JCuda's long message is cut to its useful line: " + first.reason());
        assertTrue(first.reason().length() < 600, "reason is short: " + first.reason());
    }

    @Test
    void withoutGpuBackendsGetThrowsWithTheReason() {
        Availability a = provider.availability();
        Assumptions.assumeFalse(a.available(), "a GPU is available here, so there is no failure to check");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get(Device.cuda()));
        assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        IllegalStateException direct = assertThrows(IllegalStateException.class, () -> provider.create(0));
        assertTrue(direct.getMessage().contains(a.reason()), direct.getMessage());
        assertEquals(a, Backends.availability("cuda"));
    }

    @Test
    void withoutDriverLibraryTheReasonNamesIt() {
        CudaProbe.Result r = CudaProbe.result();
        Assumptions.assumeFalse(r.nativesLoaded(), "JCuda's natives load here");
        assertTrue(r.availability().reason().contains("libcuda.so.1") || r.availability().reason().contains("JCuda"),
                r.availability().reason());
    }

    @Test
    void noDriverAtAllIsOneShortClauseWithoutTheLoadersTemporaryPath() {
        // What JCuda's loader reports on a machine without the NVIDIA driver.
        UnsatisfiedLinkError missing = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                + "Stack trace from the attempt to load the library as a resource:\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared"
                + " object file: No such file or directory");
        Availability a = CudaProbe.loadFailure(missing);
        assertFalse(a.available());
        assertTrue(a.absent(), "no driver is the normal state of a CPU machine, reported at INFO");
        assertFalse(a.reason().contains("/tmp"), a.reason());
        assertEquals("no NVIDIA driver (libcuda.so.1 not found)", a.reason());
        assertTrue(CudaProbe.describeLoadFailure(missing).contains("docker --gpus all"), "Doctor keeps the long form");

        // A driver library that is there but does not fit is a real problem, reported at WARN.
        UnsatisfiedLinkError broken = new UnsatisfiedLinkError("Error while loading native library\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: /usr/lib/x86_64-linux-gnu/libcuda.so.1:"
                + " version `GLIBC_2.99' not found");
        Availability b = CudaProbe.loadFailure(broken);
        assertFalse(b.available() || b.absent(), b.toString());
    }

    @Test
    void onThisMachineAMissingDriverIsReportedAsAbsent() {
        CudaProbe.Result r = CudaProbe.result();
        Assumptions.assumeTrue(r.loadDetail() != null && r.loadDetail().contains("libcuda.so.1 was not found"),
                "the NVIDIA driver library is present here");
        assertTrue(r.availability().absent(), r.availability().toString());
        assertEquals(CudaProbe.NO_DRIVER, r.availability().reason());
    }

    @Test
    void doctorReportsAndGivesAVerdict() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = Doctor.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("VERDICT: "), report);
        assertEquals(provider.availability().available(), ok, report);
        if (!ok) assertTrue(report.contains(provider.availability().reason()), report);
    }

    @Test
    void withGpuBackendsGetReturnsTheCudaBackend() {
        Assumptions.assumeTrue(provider.availability().available(), () -> "no usable GPU: " + provider.availability().reason());
        assertInstanceOf(CudaBackend.class, Backends.get(Device.cuda()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.create(1000));
        assertTrue(e.getMessage().contains("cuda:1000"), e.getMessage());
    }
}
