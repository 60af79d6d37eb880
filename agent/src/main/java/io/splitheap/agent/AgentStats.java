package io.splitheap.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.splitheap.agent.backend.PageBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.core.Sites;
import io.splitheap.agent.excache.CacheStats;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.metrics.AgentMetrics;
import io.splitheap.agent.runtime.FarObjects;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The statistics line the agent prints to stderr at exit with {@code stats=true}:
 * <pre>
 * splitheap-stats {"far_arrays":N,"far_bytes":N,"excache_bytes":N,"hits":N,"misses":N,"evictions":N,
 *   "writebacks":N,...}
 * </pre>
 * on one line, written with Jackson's streaming generator (relocated in the agent jar). The text is a contract,
 * byte for byte: the first seven fields, their order, {@code hit_rate} with six decimals (or {@code 1.0}); more
 * fields follow.
 */
public final class AgentStats
{
    private AgentStats()
    {
    }

    /**
     * The line's prefix, before the JSON object.
     */
    public static final String PREFIX = "splitheap-stats ";

    /**
     * The counters of the line in their order; {@code hit_rate} is written after {@code writebacks}.
     */
    static final String[] COUNTERS = {"far_arrays", "far_bytes", "excache_bytes", "hits", "misses", "evictions",
        "writebacks", "zero_fills", "prefetches", "readahead_requests", "localizations", "learned_local_sites",
        "peak_far_bytes", "line_bytes", "live_far_bytes", "reserved_far_bytes", "dead_lines_dropped", "chunks",
        "forced_gcs", "forced_gc_ms", "pressure_waits", "far_objects", "far_object_bytes"};

    private static final int HITS = 3;
    private static final int MISSES = 4;
    private static final int HIT_RATE_AFTER = 7;
    private static final JsonFactory JSON = new JsonFactory();

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
        final long[] counters = {metrics.getFarArrays(), metrics.getFarBytes(), metrics.getExCacheBytes(),
            metrics.getHits(), metrics.getMisses(), metrics.getEvictions(), metrics.getWriteBacks(),
            stats.zeroFills(), metrics.getPrefetches(), stats.readaheadRequests(), stats.localizations(),
            Sites.ALLOCATIONS.learnedLocalCount(), farMemory.peakFarBytes(), cache.lineSize(),
            metrics.getLiveFarBytes(), farMemory.allocator().reservedBytes(), stats.deadLinesDropped(),
            cache.chunks(), metrics.getForcedGcs(), farMemory.forcedGcNanos() / 1_000_000,
            metrics.getPressureWaits(), FarObjects.objects(), FarObjects.bytes()};
        return format(counters, backend.nodeUsage());
    }

    /**
     * Writes the line from values.
     *
     * @param counters values of {@link #COUNTERS}, in that order.
     * @param nodes    pages of this process per memory node.
     * @return the line, starting with {@code splitheap-stats }.
     */
    static String format(final long[] counters, final List<PageBackend.NodeUsage> nodes)
    {
        final StringWriter out = new StringWriter(512).append(PREFIX);
        try (JsonGenerator json = JSON.createGenerator(out))
        {
            json.writeStartObject();
            for (int i = 0; i < COUNTERS.length; i++)
            {
                if (i == HIT_RATE_AFTER)
                {
                    json.writeFieldName("hit_rate");
                    json.writeNumber(hitRate(counters[HITS], counters[MISSES]));
                }
                json.writeNumberField(COUNTERS[i], counters[i]);
            }
            json.writeArrayFieldStart("memory_nodes");
            for (final PageBackend.NodeUsage node : nodes)
            {
                json.writeStartObject();
                json.writeNumberField("id", node.nodeId());
                json.writeNumberField("pages", node.processPages());
                json.writeStringField("transport", node.transport());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("a StringWriter does not fail", ex);
        }
        return out.toString();
    }

    private static String hitRate(final long hits, final long misses)
    {
        // the line's contract: "1.0" when nothing was accessed, else six decimals
        return hits + misses == 0 ? "1.0" :
            String.format(java.util.Locale.ROOT, "%.6f", (double)hits / (hits + misses));
    }
}
