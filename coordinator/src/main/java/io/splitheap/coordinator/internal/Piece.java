package io.splitheap.coordinator.internal;

/**
 * The part of an allocated (or released) range that lies in one vRegion.
 *
 * @param region    the vRegion.
 * @param newRegion true if the allocation created the vRegion (its nodes must be told their roles).
 * @param address   first address of the part.
 * @param length    bytes.
 */
public record Piece(RegionRecord region, boolean newRegion, long address, long length)
{
}
