package dev.apartment.stress;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workload of the invoke storms: a random tree of synchronous invokes among dispatchers. Each node runs on its
 * target dispatcher, invokes its children there (at their priorities, self-invokes included) and returns 1 plus
 * their results, so the root's invoke must return exactly {@link #size()}.
 */
public final class InvokeTree {
    private final int target;
    private final DispatcherPriority priority;
    private final List<InvokeTree> children;
    private final int size;

    private InvokeTree(int target, DispatcherPriority priority, List<InvokeTree> children) {
        this.target = target;
        this.priority = priority;
        this.children = children;
        int s = 1;
        for (InvokeTree c : children) {
            s += c.size;
        }
        this.size = s;
    }

    /** A random tree over {@code dispatchers} targets; nodes at {@code maxDepth} invoke nothing. */
    public static InvokeTree random(Random rnd, int dispatchers, DispatcherPriority[] priorities, int maxDepth) {
        return random(rnd, dispatchers, priorities, maxDepth, 0);
    }

    private static InvokeTree random(Random rnd, int dispatchers, DispatcherPriority[] priorities, int maxDepth,
            int depth) {
        int target = rnd.nextInt(dispatchers);
        DispatcherPriority p = priorities[rnd.nextInt(priorities.length)];
        if (depth >= maxDepth || rnd.nextInt(100) >= 60) {
            return new InvokeTree(target, p, Collections.emptyList());
        }
        int n = 1 + rnd.nextInt(2);
        List<InvokeTree> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            children.add(random(rnd, dispatchers, priorities, maxDepth, depth + 1));
        }
        return new InvokeTree(target, p, children);
    }

    /** The number of tasks the tree runs: what invoking its root must return. */
    public int size() {
        return size;
    }

    /**
     * Invokes the root into {@code ds[target]} from the calling thread and returns its result; every task counts
     * itself in {@code executed}, and in {@code wrongThread} if it ran off its dispatcher's thread.
     */
    public long invoke(Dispatcher[] ds, AtomicLong executed, AtomicLong wrongThread) {
        return ds[target].invoke(() -> run(ds, executed, wrongThread), priority);
    }

    private long run(Dispatcher[] ds, AtomicLong executed, AtomicLong wrongThread) {
        if (!ds[target].checkAccess()) {
            wrongThread.incrementAndGet();
        }
        executed.incrementAndGet();
        long sum = 1;
        for (InvokeTree child : children) {
            sum += child.invoke(ds, executed, wrongThread);
        }
        return sum;
    }
}
