package com.leadsync.bench;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JVM's live heap: the heap in use right after a full collection ({@link System#gc()}, which G1 runs as a
 * stop-the-world full GC). Read from the collection's own after-GC figures, not from a later look at the heap, which
 * would already hold what other threads allocated since.
 */
final class LiveHeap {

    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    private LiveHeap() {
    }

    /** Bytes live on the heap now (one full GC). */
    static long afterFullGc() {
        System.gc();
        GcInfo latest = null;
        for (GarbageCollectorMXBean gc : ManagementFactory.getPlatformMXBeans(GarbageCollectorMXBean.class)) {
            GcInfo info = gc.getLastGcInfo();
            if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                latest = info;
            }
        }
        if (latest == null) {
            throw new IllegalStateException("System.gc() ran no collection (-XX:+DisableExplicitGC?)");
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
            if (HEAP_POOLS.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }
}
