package io.jgrad.spi;

/**
 * Whether a backend can run here, and if not, exactly why.
 *
 * @param available whether the backend can run
 * @param reason    when available, a detail such as the devices found; otherwise why not
 * @param absent    the backend cannot run because what it needs is simply not installed (no driver for its
 *                  hardware): the normal state of a machine without that hardware, which automatic selection
 *                  reports at INFO. False for a driver or device that is present but unusable, which is a WARN.
 */
public record Availability(boolean available, String reason, boolean absent) {
    public Availability(boolean available, String reason) {
        this(available, reason, false);
    }

    public static Availability yes(String detail) {
        return new Availability(true, detail, false);
    }

    /** Present but unusable (a driver too old, a failing device): worth a warning when it is skipped. */
    public static Availability no(String reason) {
        return new Availability(false, reason, false);
    }

    /** Not installed here at all; keep {@code reason} to one short clause, since it is logged on every CPU-only run. */
    public static Availability absent(String reason) {
        return new Availability(false, reason, true);
    }
}
