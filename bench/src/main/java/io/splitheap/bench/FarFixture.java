package io.splitheap.bench;

import io.splitheap.agent.AgentConfiguration;
import io.splitheap.agent.backend.RemoteBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.protocol.runtime.ErrorLog;

import java.util.concurrent.TimeUnit;

/**
 * What the miss and streaming benchmarks share: a one-node embedded cluster, this JVM's backend reaching it over
 * {@code udp} or {@code ipc} (sharing the cluster's driver), an ExCache of 256 4 KiB lines under FIFO, and a 32 MiB
 * far {@code long[]} written once, so that its lines live on the node.
 */
final class FarFixture implements AutoCloseable
{
    static final int LINE = 4096;
    static final int LINES = 8192;
    static final int LONGS_PER_LINE = LINE / Long.BYTES;

    final EmbeddedCluster cluster;
    final RemoteBackend backend;
    final FarMemory farMemory;
    final long[] far;

    /**
     * Starts it all.
     *
     * @param transport {@code udp} or {@code ipc}.
     * @param prefetch  readahead window in lines (0: none).
     * @param errors    where errors go.
     */
    FarFixture(final String transport, final int prefetch, final ErrorLog errors)
    {
        cluster = EmbeddedCluster.start(new EmbeddedCluster.Context().memoryNodes(1).memoryNodeCapacity(256L << 20)
            .storageNode(false));
        backend = RemoteBackend.connect(AgentConfiguration.parse(cluster.agentOptions() +
            ("ipc".equals(transport) ? ",aeron.dir=" + cluster.aeronDirectory() : "")), errors);
        final ExCache cache = new ExCache(256L * LINE, LINE, "fifo", prefetch, 256, backend,
            TimeUnit.SECONDS.toNanos(30));
        farMemory = new FarMemory(cache, backend, 1L << 26, 0, errors, false);
        FarMemory.install(farMemory);
        far = (long[])farMemory.allocate(ElementType.LONG, LINES * LONGS_PER_LINE, -1);
        for (int line = 0; line < LINES; line++)
        {
            FarAccess.lastore(far, line * LONGS_PER_LINE, line + 1);
        }
        farMemory.drain(TimeUnit.SECONDS.toNanos(60));
    }

    /**
     * Stops what it started.
     */
    public void close()
    {
        FarMemory.install(null);
        farMemory.close();
        backend.close();
        cluster.close();
    }
}
