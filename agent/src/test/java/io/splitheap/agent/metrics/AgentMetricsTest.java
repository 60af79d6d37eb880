package io.splitheap.agent.metrics;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.runtime.FarAccess;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentMetricsTest
{
    private static final int ELEMENTS = 64 * 4096 / Long.BYTES;

    @Test
    void shouldShowTheCacheCountersThroughJmx() throws Exception
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            final long[] array = (long[])far.farMemory().allocate(ElementType.LONG, ELEMENTS, -1);
            long sum = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < ELEMENTS; i++)
                {
                    FarAccess.lastore(array, i, i);
                    sum += FarAccess.laload(array, i);
                }
            }
            assertTrue(sum > 0);
            final AgentMetrics metrics = new AgentMetrics(far.farMemory());
            final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            final ObjectName name = new ObjectName("io.splitheap.test:type=Agent");
            server.registerMBean(metrics, name);
            try
            {
                final long misses = (Long)server.getAttribute(name, "Misses");
                final long hits = (Long)server.getAttribute(name, "Hits");
                assertEquals(far.farMemory().cache().stats().misses(), misses);
                assertEquals(far.farMemory().cache().hits(), hits);
                assertTrue(misses > 0 && hits > 0, "misses=" + misses + " hits=" + hits);
                assertEquals((misses + metrics.getPrefetches()) * 4096L, server.getAttribute(name, "BytesIn"));
                assertEquals((long)ELEMENTS * Long.BYTES, server.getAttribute(name, "FarBytes"));
                assertEquals((double)hits / (hits + misses), (Double)server.getAttribute(name, "HitRate"), 1e-9);
            }
            finally
            {
                server.unregisterMBean(name);
            }
        }
    }

    @Test
    void shouldReportRatesOfTheLastInterval()
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            final AgentMetrics metrics = new AgentMetrics(far.farMemory());
            final long[] array = (long[])far.farMemory().allocate(ElementType.LONG, ELEMENTS, -1);
            try (ProgressReporter progress = new ProgressReporter(metrics, 3600, System.err))
            {
                for (int i = 0; i < ELEMENTS; i++)
                {
                    FarAccess.lastore(array, i, i);
                }
                final String busy = progress.line(System.nanoTime());
                assertTrue(busy.startsWith("splitheap-progress t=") && busy.contains(" far_bytes=" +
                    (long)ELEMENTS * Long.BYTES + " "), busy);
                final String idle = progress.line(System.nanoTime() + 1_000_000_000L);
                assertTrue(idle.contains(" hit_rate=1.0000 misses_per_s=0 mb_in_per_s=0.0"), idle);
            }
        }
    }
}
