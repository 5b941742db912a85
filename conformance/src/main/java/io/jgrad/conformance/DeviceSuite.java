package io.jgrad.conformance;

import io.jgrad.Backends;
import io.jgrad.Device;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every suite: a backend runs a suite by subclassing it and naming its device, which becomes the default
 * device for each test (so modules and factories inside the tests land there) and is reset afterwards.
 */
public abstract class DeviceSuite {
    /** The device the suite runs on. */
    protected abstract Device device();

    @BeforeEach
    void useDeviceUnderTest() {
        Backends.setDefaultDevice(device());
    }

    @AfterEach
    void resetDefaultDevice() {
        Backends.setDefaultDevice(null);
    }
}
