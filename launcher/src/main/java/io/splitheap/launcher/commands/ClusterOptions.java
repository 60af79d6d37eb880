package io.splitheap.launcher.commands;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.protocol.FarAddress;
import picocli.CommandLine;

import java.io.File;

/**
 * Options of an embedded cluster, shared by {@code cluster}, {@code run} and {@code demo}.
 */
public final class ClusterOptions
{
    @CommandLine.Option(names = "--memory-nodes", defaultValue = "2", paramLabel = "N",
        description = "Memory nodes to start (default: ${DEFAULT-VALUE}).")
    int memoryNodes;

    @CommandLine.Option(names = "--capacity", defaultValue = "4g", paramLabel = "SIZE",
        description = "Capacity of each memory node (default: ${DEFAULT-VALUE}).")
    long capacity;

    @CommandLine.Option(names = "--vregion-size", paramLabel = "SIZE",
        description = "vRegion size, a power of two (default: splitheap.vregion.size or 1g).")
    Long vRegionSize;

    @CommandLine.Option(names = "--data-dir", paramLabel = "DIR",
        description = "Keep the nodes' data in DIR (default: a temporary folder, deleted on exit).")
    File dataDir;

    @CommandLine.Option(names = "--secret-file", paramLabel = "PATH",
        description = "The cluster secret (default: a new one in a file only you can read, deleted on exit).")
    java.nio.file.Path secretFile;

    @CommandLine.Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
        description = "Address the components bind to (default: ${DEFAULT-VALUE}).")
    String host;

    EmbeddedCluster.Context context(final int coordinatorPort)
    {
        if (memoryNodes < 1)
        {
            throw new IllegalArgumentException("--memory-nodes must be at least 1, was " + memoryNodes);
        }
        final EmbeddedCluster.Context context = new EmbeddedCluster.Context()
            .memoryNodes(memoryNodes)
            .memoryNodeCapacity(capacity)
            .dataDir(dataDir)
            .host(host)
            .coordinatorPort(coordinatorPort)
            .secretFile(secretFile);
        if (vRegionSize != null)
        {
            if (Long.bitCount(vRegionSize) != 1 || vRegionSize < (1L << FarAddress.MIN_VREGION_SHIFT))
            {
                throw new IllegalArgumentException("--vregion-size must be a power of two of at least 64k, was " +
                    vRegionSize);
            }
            context.vRegionShift(Long.numberOfTrailingZeros(vRegionSize));
        }
        return context;
    }
}
