package io.splitheap.systemtests;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A program that uses one big array, waits a little, and prints what the platform MBean server says about the
 * Splitheap agent (run by {@link AgentMetricsIT} with the agent, which makes the array far).
 */
public final class AgentMetricsProgram
{
    private AgentMetricsProgram()
    {
    }

    /**
     * Runs.
     *
     * @param args element count, milliseconds to wait.
     * @throws Exception if JMX fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final long[] values = new long[Integer.parseInt(args[0])];
        long sum = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 0; i < values.length; i++)
            {
                values[i] += i;
                sum += values[i];
            }
        }
        Thread.sleep(Long.parseLong(args[1]));
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final ObjectName name = new ObjectName("io.splitheap:type=Agent");
        System.out.println("sum=" + sum);
        System.out.println("jmx hits=" + server.getAttribute(name, "Hits") + " misses=" +
            server.getAttribute(name, "Misses") + " far_bytes=" + server.getAttribute(name, "FarBytes"));
    }
}
