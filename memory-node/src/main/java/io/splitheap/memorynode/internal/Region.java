package io.splitheap.memorynode.internal;

import io.splitheap.protocol.codecs.RegionRole;

/**
 * This node's role for one vRegion of one process, as assigned by the coordinator.
 *
 * @param vRegion         vRegion index.
 * @param epoch           routing epoch of the assignment; requests must carry it.
 * @param role            primary or secondary.
 * @param primaryNodeId   the primary's node id.
 * @param secondaryNodeId the secondary's node id, 0 if none.
 */
public record Region(long vRegion, long epoch, RegionRole role, int primaryNodeId, int secondaryNodeId)
{
}
