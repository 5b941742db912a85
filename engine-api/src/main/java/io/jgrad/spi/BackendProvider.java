package io.jgrad.spi;

/**
 * Found with {@link java.util.ServiceLoader}: each backend jar lists its provider in
 * {@code META-INF/services/io.jgrad.spi.BackendProvider}. Probing availability must be cheap and must not throw.
 */
public interface BackendProvider {
    /** The device type this provider serves, such as "cpu" or "cuda". */
    String name();

    /** Automatic selection prefers the available provider with the highest priority. */
    int priority();

    /** Whether this backend can run here; if not, the exact reason (missing library, no device, ...). */
    Availability availability();

    /** The backend for device {@code index}. Throws with the availability reason when it cannot run. */
    Backend create(int index);
}
