package io.jgrad.scalar;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Depth-first topological sort of a {@link Value} graph with an explicit stack, so depth is limited by memory and
 * not by the thread stack. One instance per thread keeps its arrays between calls: a training loop sorts a graph
 * of the same size every step and should not reallocate them.
 *
 * <p>Instead of a visited set, every sort takes a fresh number (an epoch) and stamps it into the nodes it expands;
 * a node is visited in this sort exactly when its stamp equals the epoch. No clearing pass is needed.
 */
final class TopoSort {

    private static final AtomicInteger EPOCHS = new AtomicInteger();
    private static final ThreadLocal<TopoSort> PER_THREAD = ThreadLocal.withInitial(TopoSort::new);
    // Arrays grown past this many entries are dropped after use instead of being kept for the next sort.
    private static final int KEEP_LIMIT = 1 << 20;
    private static final int INITIAL_CAPACITY = 1024;

    private Value[] stack = new Value[INITIAL_CAPACITY];
    // expanded[i]: the operands of stack[i] have been pushed, so popping it again emits it.
    private boolean[] expanded = new boolean[INITIAL_CAPACITY];
    private Value[] order = new Value[INITIAL_CAPACITY];
    private int stackHighWater;

    static TopoSort forThisThread() {
        return PER_THREAD.get();
    }

    /** The nodes reachable from root, each after its operands, in a new array. */
    static Value[] sortedCopy(Value root) {
        TopoSort sort = forThisThread();
        int n = sort.sort(root);
        Value[] copy = Arrays.copyOf(sort.order, n);
        sort.release(n);
        return copy;
    }

    /**
     * Sorts the nodes reachable from root so that every node comes after its operands; the result is the first
     * {@code n} entries of {@link #order()}, where n is returned. Call {@link #release(int)} when done with it.
     */
    int sort(Value root) {
        int epoch = nextEpoch();
        Value[] stack = this.stack;
        boolean[] expanded = this.expanded;
        Value[] order = this.order;
        int top = 0;
        int count = 0;
        int highWater = 0;
        stack[top] = root;
        expanded[top++] = false;
        while (top > 0) {
            Value node = stack[top - 1];
            if (expanded[top - 1]) {
                top--;
                if (count == order.length) order = this.order = Arrays.copyOf(order, grow(order.length));
                order[count++] = node;
                continue;
            }
            if (node.visitMark == epoch) {
                // Reached earlier through another path and already emitted.
                top--;
                continue;
            }
            node.visitMark = epoch;
            expanded[top - 1] = true;
            if (top + 2 > stack.length) {
                int capacity = grow(stack.length);
                stack = this.stack = Arrays.copyOf(stack, capacity);
                expanded = this.expanded = Arrays.copyOf(expanded, capacity);
            }
            // A stamped operand is already emitted: in a DAG it cannot be an ancestor still on the stack.
            Value first = node.first();
            if (first != null && first.visitMark != epoch) {
                stack[top] = first;
                expanded[top++] = false;
            }
            Value second = node.second();
            if (second != null && second.visitMark != epoch) {
                stack[top] = second;
                expanded[top++] = false;
            }
            if (top > highWater) highWater = top;
        }
        stackHighWater = Math.max(stackHighWater, highWater);
        return count;
    }

    Value[] order() {
        return order;
    }

    /** Drops the references the last sort left behind, so the graph can be collected. */
    void release(int count) {
        Arrays.fill(order, 0, count, null);
        Arrays.fill(stack, 0, stackHighWater, null);
        stackHighWater = 0;
        if (order.length > KEEP_LIMIT) order = new Value[INITIAL_CAPACITY];
        if (stack.length > KEEP_LIMIT) {
            stack = new Value[INITIAL_CAPACITY];
            expanded = new boolean[INITIAL_CAPACITY];
        }
    }

    private static int nextEpoch() {
        int epoch = EPOCHS.incrementAndGet();
        // 0 is the stamp of nodes never sorted; skip it when the counter wraps around.
        return epoch != 0 ? epoch : EPOCHS.incrementAndGet();
    }

    private static int grow(int capacity) {
        if (capacity >= Integer.MAX_VALUE - 8) throw new OutOfMemoryError("graph too large to sort");
        return (int) Math.min((long) capacity * 2, Integer.MAX_VALUE - 8);
    }
}
