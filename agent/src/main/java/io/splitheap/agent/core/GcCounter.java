package io.splitheap.agent.core;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the JVM's whole-heap collections, to tell whether one ran since a given moment. Young collections do not
 * count: a far array that lived long enough for its placeholder to reach the old generation is only found dead by a
 * collection of the whole heap (G1's full or concurrent cycles, Parallel's and Serial's mark-sweep, every ZGC and
 * Shenandoah cycle).
 */
final class GcCounter
{
    private static final String[] YOUNG = {"Young", "Scavenge", "Copy", "ParNew", "Minor"};

    private final List<GarbageCollectorMXBean> collectors = new ArrayList<>();

    GcCounter()
    {
        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans())
        {
            if (!isYoung(collector.getName()))
            {
                collectors.add(collector);
            }
        }
    }

    long collections()
    {
        long total = 0;
        for (final GarbageCollectorMXBean collector : collectors)
        {
            total += Math.max(0, collector.getCollectionCount());
        }
        return total;
    }

    static boolean isYoung(final String name)
    {
        for (final String young : YOUNG)
        {
            if (name.contains(young))
            {
                return true;
            }
        }
        return false;
    }
}
