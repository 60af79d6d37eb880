package io.splitheap.agent;

import io.splitheap.agent.backend.PageBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.core.Sites;
import io.splitheap.agent.excache.CacheStats;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.metrics.AgentMetrics;

import java.util.List;

/**
 * The statistics line the agent prints to stderr at exit with {@code stats=true}:
 * <pre>
 * splitheap-stats {"far_arrays":N,"far_bytes":N,"excache_bytes":N,"hits":N,"misses":N,"evictions":N,
 *   "writebacks":N,...}
 * </pre>
 * on one line. The first seven fields are a contract; more follow.
 */
public final class AgentStats
{
    private AgentStats()
    {
    }

    /**
     * Builds the line.
     *
     * @param farMemory far memory.
     * @param backend   its backend (asked for per-node page counts).
     * @return the line, starting with {@code splitheap-stats }.
     */
    public static String line(final FarMemory farMemory, final PageBackend backend)
    {
        final ExCache cache = farMemory.cache();
        final CacheStats stats = cache.stats();
        // the counters the JMX bean, the CnC counters and the progress lines show, read the same way
        final AgentMetrics metrics = new AgentMetrics(farMemory);
        final long hits = metrics.getHits();
        final long misses = metrics.getMisses();
        final StringBuilder json = new StringBuilder(512).append("splitheap-stats {");
        field(json, "far_arrays", metrics.getFarArrays()).append(',');
        field(json, "far_bytes", metrics.getFarBytes()).append(',');
        field(json, "excache_bytes", metrics.getExCacheBytes()).append(',');
        field(json, "hits", hits).append(',');
        field(json, "misses", misses).append(',');
        field(json, "evictions", metrics.getEvictions()).append(',');
        field(json, "writebacks", metrics.getWriteBacks()).append(',');
        json.append("\"hit_rate\":").append(hits + misses == 0 ? "1.0" :
            String.format(java.util.Locale.ROOT, "%.6f", (double)hits / (hits + misses))).append(',');
        field(json, "zero_fills", stats.zeroFills()).append(',');
        field(json, "prefetches", metrics.getPrefetches()).append(',');
        field(json, "readahead_requests", stats.readaheadRequests()).append(',');
        field(json, "localizations", stats.localizations()).append(',');
        field(json, "learned_local_sites", Sites.ALLOCATIONS.learnedLocalCount()).append(',');
        field(json, "peak_far_bytes", farMemory.peakFarBytes()).append(',');
        field(json, "line_bytes", cache.lineSize()).append(',');
        field(json, "live_far_bytes", metrics.getLiveFarBytes()).append(',');
        field(json, "reserved_far_bytes", farMemory.allocator().reservedBytes()).append(',');
        field(json, "dead_lines_dropped", stats.deadLinesDropped()).append(',');
        field(json, "chunks", cache.chunks()).append(',');
        field(json, "forced_gcs", metrics.getForcedGcs()).append(',');
        field(json, "forced_gc_ms", farMemory.forcedGcNanos() / 1_000_000).append(',');
        field(json, "pressure_waits", metrics.getPressureWaits()).append(',');
        json.append("\"memory_nodes\":[");
        final List<PageBackend.NodeUsage> nodes = backend.nodeUsage();
        for (int i = 0; i < nodes.size(); i++)
        {
            final PageBackend.NodeUsage node = nodes.get(i);
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(node.nodeId()).append(",\"pages\":")
                .append(node.processPages()).append(",\"transport\":\"").append(node.transport()).append("\"}");
        }
        return json.append("]}").toString();
    }

    private static StringBuilder field(final StringBuilder json, final String name, final long value)
    {
        return json.append('"').append(name).append("\":").append(value);
    }
}
