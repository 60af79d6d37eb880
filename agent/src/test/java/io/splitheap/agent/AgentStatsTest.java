package io.splitheap.agent;

import io.splitheap.agent.backend.PageBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code splitheap-stats} line is a contract: written with Jackson, it must read byte for byte as the line the
 * agent built by hand before (the expected strings below are that format, written out).
 */
class AgentStatsTest
{
    @Test
    void shouldWriteTheLineExactlyAsTheHandBuiltFormat()
    {
        final long[] counters = {2, 2097152, 262144, 2, 1, 7, 5, 11, 13, 17, 19, 23, 4194304, 4096, 1048576, 8388608,
            29, 31, 37, 41, 43, 47, 53};
        final String line = AgentStats.format(counters, List.of(
            new PageBackend.NodeUsage(1, 100, 200, "ipc"), new PageBackend.NodeUsage(2, 50, 60, "udp")));
        assertEquals("splitheap-stats {\"far_arrays\":2,\"far_bytes\":2097152,\"excache_bytes\":262144,\"hits\":2," +
            "\"misses\":1,\"evictions\":7,\"writebacks\":5,\"hit_rate\":0.666667,\"zero_fills\":11,\"prefetches\":13," +
            "\"readahead_requests\":17,\"localizations\":19,\"learned_local_sites\":23,\"peak_far_bytes\":4194304," +
            "\"line_bytes\":4096,\"live_far_bytes\":1048576,\"reserved_far_bytes\":8388608,\"dead_lines_dropped\":29," +
            "\"chunks\":31,\"forced_gcs\":37,\"forced_gc_ms\":41,\"pressure_waits\":43,\"far_objects\":47," +
            "\"far_object_bytes\":53,\"memory_nodes\":[{\"id\":1," +
            "\"pages\":100,\"transport\":\"ipc\"},{\"id\":2,\"pages\":50,\"transport\":\"udp\"}]}", line);
    }

    @Test
    void shouldWriteAHitRateOfOneWithoutAccessesAndNoNodesWhenLocal()
    {
        final long[] counters = new long[AgentStats.COUNTERS.length];
        counters[0] = Long.MAX_VALUE;
        assertEquals("splitheap-stats {\"far_arrays\":9223372036854775807,\"far_bytes\":0,\"excache_bytes\":0," +
            "\"hits\":0,\"misses\":0,\"evictions\":0,\"writebacks\":0,\"hit_rate\":1.0,\"zero_fills\":0," +
            "\"prefetches\":0,\"readahead_requests\":0,\"localizations\":0,\"learned_local_sites\":0," +
            "\"peak_far_bytes\":0,\"line_bytes\":0,\"live_far_bytes\":0,\"reserved_far_bytes\":0," +
            "\"dead_lines_dropped\":0,\"chunks\":0,\"forced_gcs\":0,\"forced_gc_ms\":0,\"pressure_waits\":0," +
            "\"far_objects\":0,\"far_object_bytes\":0,\"memory_nodes\":[]}",
            AgentStats.format(counters, List.of()));
    }

    @Test
    void shouldWriteAFullHitRateWithSixDecimals()
    {
        final long[] counters = new long[AgentStats.COUNTERS.length];
        counters[3] = 5;
        final String line = AgentStats.format(counters, List.of());
        assertTrue(line.contains(",\"misses\":0,\"evictions\":0,\"writebacks\":0,\"hit_rate\":1.000000,"), line);
    }
}
