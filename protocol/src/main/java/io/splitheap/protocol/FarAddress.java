package io.splitheap.protocol;

/**
 * Layout of a process's far virtual address space.
 * <pre>
 *   47                   vRegionShift                       12            0
 *  +-------------------------+-------------------------------+-------------+
 *  |  vRegion index          |  page within the vRegion      | page offset |
 *  +-------------------------+-------------------------------+-------------+
 * </pre>
 * Every process has its own 48-bit space; address 0 is never handed out so that it can mean "none".
 * vRegions are a power of two in size ({@code 1 << vRegionShift}, 1 GiB by default).
 */
public final class FarAddress
{
    /**
     * Bits in a far virtual address.
     */
    public static final int ADDRESS_BITS = 48;

    /**
     * One past the highest far virtual address.
     */
    public static final long ADDRESS_LIMIT = 1L << ADDRESS_BITS;

    /**
     * log2 of the page size: pages get physical backing on a memory node on first write.
     */
    public static final int PAGE_SHIFT = 12;

    /**
     * Page size in bytes.
     */
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    /**
     * Smallest vRegion shift allowed (64 KiB) so that tests can use small regions.
     */
    public static final int MIN_VREGION_SHIFT = 16;

    /**
     * Largest vRegion shift allowed (64 GiB).
     */
    public static final int MAX_VREGION_SHIFT = 36;

    private FarAddress()
    {
    }

    /**
     * The vRegion index holding an address.
     *
     * @param address      far virtual address.
     * @param vRegionShift log2 of the vRegion size.
     * @return the vRegion index.
     */
    public static long vRegion(final long address, final int vRegionShift)
    {
        return address >>> vRegionShift;
    }

    /**
     * The first address of a vRegion.
     *
     * @param vRegion      vRegion index.
     * @param vRegionShift log2 of the vRegion size.
     * @return the base address.
     */
    public static long vRegionBase(final long vRegion, final int vRegionShift)
    {
        return vRegion << vRegionShift;
    }

    /**
     * Page number of an address (its address without the page offset).
     *
     * @param address far virtual address.
     * @return page number.
     */
    public static long pageNumber(final long address)
    {
        return address >>> PAGE_SHIFT;
    }

    /**
     * Whether an address is page aligned.
     *
     * @param address far virtual address.
     * @return true if aligned.
     */
    public static boolean isPageAligned(final long address)
    {
        return (address & (PAGE_SIZE - 1)) == 0;
    }

    /**
     * Whether {@code [address, address + length)} lies inside the far address space and does not wrap.
     *
     * @param address start.
     * @param length  length in bytes.
     * @return true when the range is valid.
     */
    public static boolean isValidRange(final long address, final long length)
    {
        return address > 0 && length > 0 && address < ADDRESS_LIMIT && length <= ADDRESS_LIMIT - address;
    }

    /**
     * Formats an address the way errors and logs show it.
     *
     * @param address far virtual address.
     * @return {@code 0x...} hex form.
     */
    public static String format(final long address)
    {
        return "0x" + Long.toHexString(address);
    }
}
