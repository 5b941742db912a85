package io.jgrad;

/** Element types. float32 is the default; float64 serves gradient checking; int64 holds class indices. */
public enum DType {
    FLOAT32(4, "float32"),
    FLOAT64(8, "float64"),
    INT64(8, "int64");

    private final int byteSize;
    private final String pyName;

    DType(int byteSize, String pyName) {
        this.byteSize = byteSize;
        this.pyName = pyName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return this != INT64;
    }

    @Override
    public String toString() {
        return pyName;
    }
}
