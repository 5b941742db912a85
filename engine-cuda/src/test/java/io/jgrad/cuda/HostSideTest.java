package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Argument packing and allocator size classes, which need no GPU. */
class HostSideTest {
    @Test
    void argumentsFollowCAlignment() {
        ArgWriter w = ArgWriter.start().i32(1);
        assertEquals(8, w.structSize());
        w.i64(2); // padded to offset 8
        assertEquals(16, w.structSize());
        w.i32(3).i32(4).f64(5);
        assertEquals(32, w.structSize());
        w.i32(6); // a trailing int rounds the struct up to its 8-byte alignment
        assertEquals(40, w.structSize());
    }

    @Test
    void layoutStructIs304Bytes() {
        IterationSpace s = IterationSpace.of("t", new int[]{2, 3}, new long[]{3, 1});
        assertEquals(304, ArgWriter.start().layout(s).structSize());
        assertEquals(344, ArgWriter.start().layout(s).i64(0).i64(0).f64(0).f64(0).i32(0).i32(0).structSize(), "UnaryArgs");
    }

    @Test
    void startEmptiesTheWriter() {
        ArgWriter.start().i64(1).i64(2);
        assertEquals(0, ArgWriter.start().structSize());
    }

    @Test
    void sizeClassesWasteLittleAndAreStable() {
        assertEquals(0, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1L << 20, CachingAllocator.sizeClass(1L << 20));
        assertEquals(5L << 18, CachingAllocator.sizeClass((1L << 20) + 1), "1 MiB + 1 -> 1.25 MiB");
        assertEquals(2L << 20, CachingAllocator.sizeClass(2L << 20));
        assertEquals(3L << 20, CachingAllocator.sizeClass(3L << 20));
        long previous = 0;
        for (long bytes = 1; bytes < (1L << 34); bytes = bytes * 3 / 2 + 1) {
            long c = CachingAllocator.sizeClass(bytes);
            assertTrue(c >= bytes && c >= previous, "class of " + bytes + " is " + c);
            assertTrue(bytes <= 512 || c <= bytes * 1.25 + 512, "class of " + bytes + " wastes too much: " + c);
            assertEquals(c, CachingAllocator.sizeClass(c), "a class is its own class");
            previous = c;
        }
    }
}
