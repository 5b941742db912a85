package io.jgrad;

import java.util.Objects;

/**
 * Where a tensor's memory lives: a backend name and a device index, written like PyTorch ("cpu", "cuda:0").
 */
public final class Device {
    public static final Device CPU = new Device("cpu", 0);

    private final String type;
    private final int index;

    private Device(String type, int index) {
        this.type = type;
        this.index = index;
    }

    public static Device of(String type, int index) {
        if (type == null || type.isBlank()) throw new IllegalArgumentException("device type must not be blank");
        if (index < 0) throw new IllegalArgumentException("device index must be >= 0, got " + index);
        String t = type.toLowerCase(java.util.Locale.ROOT);
        return t.equals("cpu") && index == 0 ? CPU : new Device(t, index);
    }

    public static Device cuda(int index) {
        return of("cuda", index);
    }

    public static Device cuda() {
        return cuda(0);
    }

    /** Parses "cpu", "cuda" or "cuda:1". */
    public static Device parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        if (colon < 0) return of(s, 0);
        try {
            return of(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad device spec '" + spec + "': expected type or type:index", e);
        }
    }

    /** The backend name, such as "cpu" or "cuda". */
    public String type() {
        return type;
    }

    public int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.type.equals(type) && d.index == index;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, index);
    }

    @Override
    public String toString() {
        return type.equals("cpu") ? "cpu" : type + ":" + index;
    }
}
