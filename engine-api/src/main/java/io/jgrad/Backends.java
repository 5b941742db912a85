package io.jgrad;

import io.jgrad.spi.Availability;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends with ServiceLoader and chooses the default device. The order: an explicit
 * {@link #setDefaultDevice(Device)} in code, then the system property {@code jgrad.backend} or the environment
 * variable {@code JGRAD_BACKEND} (such as "cpu", "cuda" or "cuda:1"), then the available backend with the highest
 * priority. Falling back to the CPU is logged at WARN with the reason, or at INFO when the better backend is simply
 * not installed (no NVIDIA driver on a CPU machine); an explicit request that cannot be met throws.
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static final Map<String, BackendProvider> PROVIDERS = discover();
    private static final Map<Device, Backend> INSTANCES = new ConcurrentHashMap<>();
    private static volatile Device defaultDevice;
    private static volatile String defaultDeviceSource = "automatic selection";
    private static volatile boolean allowTf32;
    private static volatile boolean deterministic = Boolean.getBoolean("jgrad.deterministic");

    private Backends() {
    }

    private static Map<String, BackendProvider> discover() {
        Map<String, BackendProvider> map = new LinkedHashMap<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            map.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
        }
        return map;
    }

    /** The names of every backend on the class path, available or not. */
    public static List<String> names() {
        return new ArrayList<>(PROVIDERS.keySet());
    }

    /** Whether the named backend can run here, with the reason when it cannot. */
    public static Availability availability(String name) {
        BackendProvider p = PROVIDERS.get(name.toLowerCase(Locale.ROOT));
        if (p == null) {
            return Availability.no("no backend named '" + name + "' is on the class path (found: " + PROVIDERS.keySet() + ")");
        }
        try {
            return p.availability();
        } catch (RuntimeException | LinkageError e) {
            return Availability.no(p.name() + " failed its availability probe: " + e);
        }
    }

    public static boolean isAvailable(String name) {
        return availability(name).available();
    }

    /**
     * Chooses the device that factories use when none is given. Pass null to return to automatic selection.
     * The setting is process-wide (unlike grad mode and scopes, which are per thread).
     */
    public static void setDefaultDevice(Device device) {
        if (device != null) get(device); // fail now, with the reason, if it cannot run
        synchronized (Backends.class) {
            defaultDevice = device;
            defaultDeviceSource = device != null ? "set by Backends.setDefaultDevice" : "automatic selection";
        }
    }

    /**
     * How the default device was chosen, for logs: "automatic selection", "set by JGRAD_BACKEND=cuda", "set by
     * -Djgrad.backend=cpu" or "set by Backends.setDefaultDevice". Chooses the device first if that has not happened.
     */
    public static String defaultDeviceSource() {
        defaultDevice();
        return defaultDeviceSource;
    }

    public static Device defaultDevice() {
        Device d = defaultDevice;
        if (d == null) {
            synchronized (Backends.class) {
                if (defaultDevice == null) defaultDevice = choose();
                d = defaultDevice;
            }
        }
        return d;
    }

    /**
     * Lets float32 matrix products use TF32 tensor cores (about 10 bits of mantissa) where the device has them.
     * Off by default, as in PyTorch, because it changes results.
     */
    public static void setAllowTf32(boolean allow) {
        allowTf32 = allow;
    }

    public static boolean allowTf32() {
        return allowTf32;
    }

    /**
     * Makes every backend bit-reproducible from run to run for the same seed, like PyTorch's
     * use_deterministic_algorithms: on CUDA the scatter-add behind embedding and gather gradients then runs in a
     * fixed order (slower). The CPU backend always is. Also set by {@code -Djgrad.deterministic=true}.
     */
    public static synchronized void setDeterministic(boolean on) {
        deterministic = on;
        for (Backend b : INSTANCES.values()) b.setDeterministic(on);
    }

    public static boolean deterministic() {
        return deterministic;
    }

    /** The backend serving a device, created on first use. */
    public static Backend get(Device device) {
        Backend b = INSTANCES.get(device);
        if (b != null) return b;
        synchronized (Backends.class) {
            b = INSTANCES.get(device);
            if (b != null) return b;
            BackendProvider p = PROVIDERS.get(device.type());
            if (p == null) {
                throw new IllegalStateException("no backend for device " + device + ": none named '" + device.type()
                        + "' is on the class path (found: " + PROVIDERS.keySet() + ")");
            }
            Availability a = availability(device.type());
            if (!a.available()) {
                throw new IllegalStateException("backend '" + device.type() + "' is not available: " + a.reason());
            }
            b = p.create(device.index());
            if (deterministic) b.setDeterministic(true);
            INSTANCES.put(device, b);
            return b;
        }
    }

    private static Device choose() {
        String requested = System.getProperty("jgrad.backend");
        String source = "-Djgrad.backend";
        if (requested == null || requested.isBlank()) {
            requested = System.getenv("JGRAD_BACKEND");
            source = "JGRAD_BACKEND";
        }
        if (requested != null && !requested.isBlank()) {
            Device d = Device.parse(requested);
            Availability a = availability(d.type());
            if (!a.available()) {
                throw new IllegalStateException(source + " asks for backend '" + d + "', which is not available: " + a.reason());
            }
            LOG.info("Using backend {} ({}={})", d, source, requested);
            defaultDeviceSource = "set by " + source + "=" + requested;
            return d;
        }
        List<BackendProvider> byPriority = new ArrayList<>(PROVIDERS.values());
        byPriority.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        Map<String, Availability> skipped = new LinkedHashMap<>();
        for (BackendProvider p : byPriority) {
            Availability a = availability(p.name());
            if (a.available()) {
                Device d = Device.of(p.name(), 0);
                String message = fallbackMessage(p.name(), skipped);
                if (message == null) {
                    LOG.debug("Using backend {}", d);
                } else if (isExpected(skipped)) {
                    LOG.info(message);
                } else {
                    LOG.warn(message);
                }
                defaultDeviceSource = "automatic selection";
                return d;
            }
            skipped.put(p.name(), a);
        }
        throw new IllegalStateException("no backend is available"
                + (PROVIDERS.isEmpty() ? ": none is on the class path (add engine-cpu)" : ": " + describe(skipped)));
    }

    /** Whether every skipped backend is merely not installed here, so that the fallback is no cause for a warning. */
    static boolean isExpected(Map<String, Availability> skipped) {
        return skipped.values().stream().allMatch(Availability::absent);
    }

    /**
     * The line that automatic selection logs when it passes over better backends, or null when it skipped none:
     * one short INFO line when they are simply not installed ("Using backend cpu: no NVIDIA driver ..."), whose
     * reasons name what is missing, and the full reasons for a WARN otherwise.
     */
    static String fallbackMessage(String chosen, Map<String, Availability> skipped) {
        if (skipped.isEmpty()) return null;
        if (isExpected(skipped)) {
            return "Using backend " + chosen + ": " + skipped.values().stream().map(Availability::reason).collect(Collectors.joining("; "));
        }
        return "Falling back to backend '" + chosen + "': " + describe(skipped);
    }

    private static String describe(Map<String, Availability> skipped) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Availability> e : skipped.entrySet()) {
            if (b.length() > 0) b.append("; ");
            b.append(e.getKey()).append(e.getValue().absent() ? ": " : " unavailable: ").append(e.getValue().reason());
        }
        return b.toString();
    }
}
