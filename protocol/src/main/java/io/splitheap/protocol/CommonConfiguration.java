package io.splitheap.protocol;

import java.io.File;
import java.util.Map;

/**
 * Settings shared by every component: address-space geometry, Aeron transport and timing. Each has a
 * {@code *_PROP_NAME} (a system property, an agent option or a command-line option of the same meaning) and a
 * {@code *_DEFAULT}. Components validate them once, in their context's {@code conclude()}.
 */
public final class CommonConfiguration
{
    /**
     * The coordinator's endpoint, {@code HOST:PORT}: every node and agent registers there.
     */
    public static final String COORDINATOR_PROP_NAME = "splitheap.coordinator";

    /**
     * The file holding the cluster secret every member must hold (see {@code bin/splitheap secret}).
     */
    public static final String SECRET_FILE_PROP_NAME = "splitheap.secret.file";

    /**
     * Largest ExCache line a memory node accepts in one read or write; agents' line size must not exceed it.
     */
    public static final String MAX_LINE_PROP_NAME = "splitheap.line.max";

    /**
     * Default largest line: 64 KiB.
     */
    public static final String MAX_LINE_DEFAULT = "64k";

    /**
     * Size of a vRegion, the unit of placement on memory nodes: a power of two from 64k to 64g.
     */
    public static final String VREGION_SIZE_PROP_NAME = "splitheap.vregion.size";

    /**
     * Default vRegion size: 1 GiB, as in LegoOS.
     */
    public static final String VREGION_SIZE_DEFAULT = "1g";

    /**
     * Folder under which each JVM creates its own Aeron directory.
     */
    public static final String AERON_DIR_BASE_PROP_NAME = "splitheap.aeron.dir.base";

    /**
     * Aeron MTU for UDP channels: one 4 KiB line plus headers fits in one frame at 8192.
     */
    public static final String MTU_PROP_NAME = "splitheap.aeron.mtu";

    /**
     * Default MTU.
     */
    public static final int MTU_DEFAULT = 8192;

    /**
     * Term length of every publication; the largest message is a term length / 8.
     */
    public static final String TERM_LENGTH_PROP_NAME = "splitheap.aeron.term.length";

    /**
     * Default term length: 1 MiB, so write-back batches of up to 128 KiB.
     */
    public static final String TERM_LENGTH_DEFAULT = "1m";

    /**
     * How long a request waits for its reply before it is retried or fails.
     */
    public static final String REQUEST_TIMEOUT_PROP_NAME = "splitheap.request.timeout";

    /**
     * Default request timeout.
     */
    public static final String REQUEST_TIMEOUT_DEFAULT = "10s";

    /**
     * Interval between heartbeats sent to the coordinator.
     */
    public static final String HEARTBEAT_INTERVAL_PROP_NAME = "splitheap.heartbeat.interval";

    /**
     * Default heartbeat interval.
     */
    public static final String HEARTBEAT_INTERVAL_DEFAULT = "200ms";

    /**
     * Longest park of an idle component thread: lower means lower latency after idle, higher means less CPU.
     */
    public static final String IDLE_MAX_PARK_PROP_NAME = "splitheap.idle.max.park";

    /**
     * Default longest idle park.
     */
    public static final String IDLE_MAX_PARK_DEFAULT = "1ms";

    /**
     * Yields an idle component thread makes before it starts to park.
     */
    public static final String IDLE_YIELDS_PROP_NAME = "splitheap.idle.yields";

    /**
     * Default yields before parking.
     */
    public static final int IDLE_YIELDS_DEFAULT = 200;

    private CommonConfiguration()
    {
    }

    /**
     * Default folder for Aeron directories: {@code /dev/shm} when it exists, else the temp folder.
     *
     * @return the folder.
     */
    public static String aeronDirBaseDefault()
    {
        final File shm = new File("/dev/shm");
        return shm.isDirectory() && shm.canWrite() ? shm.getPath() : System.getProperty("java.io.tmpdir");
    }

    /**
     * Largest line from settings.
     *
     * @param overrides explicit values.
     * @return bytes, a power of two from 4 KiB to 1 MiB.
     */
    public static int maxLineBytes(final Map<String, String> overrides)
    {
        final long size = Settings.parseSize(MAX_LINE_PROP_NAME, Settings.get(overrides, MAX_LINE_PROP_NAME,
            MAX_LINE_DEFAULT));
        Settings.log2PowerOfTwo(MAX_LINE_PROP_NAME, size, FarAddress.PAGE_SIZE, 1 << 20);
        return (int)size;
    }

    /**
     * vRegion shift from settings.
     *
     * @param overrides explicit values.
     * @return log2 of the vRegion size.
     */
    public static int vRegionShift(final Map<String, String> overrides)
    {
        final long size = Settings.parseSize(
            VREGION_SIZE_PROP_NAME, Settings.get(overrides, VREGION_SIZE_PROP_NAME, VREGION_SIZE_DEFAULT));
        return Settings.log2PowerOfTwo(
            VREGION_SIZE_PROP_NAME, size, 1L << FarAddress.MIN_VREGION_SHIFT, 1L << FarAddress.MAX_VREGION_SHIFT);
    }

    /**
     * Aeron directory base folder from settings.
     *
     * @param overrides explicit values.
     * @return folder path.
     */
    public static String aeronDirBase(final Map<String, String> overrides)
    {
        return Settings.get(overrides, AERON_DIR_BASE_PROP_NAME, aeronDirBaseDefault());
    }

    /**
     * MTU from settings.
     *
     * @param overrides explicit values.
     * @return MTU in bytes.
     */
    public static int mtu(final Map<String, String> overrides)
    {
        final int mtu = Settings.parseInt(
            MTU_PROP_NAME, Settings.get(overrides, MTU_PROP_NAME, Integer.toString(MTU_DEFAULT)), 1408, 65504);
        if ((mtu & 31) != 0)
        {
            throw new io.splitheap.protocol.exceptions.ConfigurationException(
                MTU_PROP_NAME, mtu, "a multiple of 32 from 1408 to 65504");
        }
        return mtu;
    }

    /**
     * Term length from settings.
     *
     * @param overrides explicit values.
     * @return term length in bytes.
     */
    public static int termLength(final Map<String, String> overrides)
    {
        final long size = Settings.parseSize(
            TERM_LENGTH_PROP_NAME, Settings.get(overrides, TERM_LENGTH_PROP_NAME, TERM_LENGTH_DEFAULT));
        // servers refuse reply channels with longer terms (a client must not make them map large buffers)
        Settings.log2PowerOfTwo(TERM_LENGTH_PROP_NAME, size, 64 * 1024, 16L << 20);
        return (int)size;
    }

    /**
     * Request timeout from settings.
     *
     * @param overrides explicit values.
     * @return nanoseconds.
     */
    public static long requestTimeoutNs(final Map<String, String> overrides)
    {
        return Settings.parseDurationNs(
            REQUEST_TIMEOUT_PROP_NAME, Settings.get(overrides, REQUEST_TIMEOUT_PROP_NAME, REQUEST_TIMEOUT_DEFAULT));
    }

    /**
     * Heartbeat interval from settings.
     *
     * @param overrides explicit values.
     * @return nanoseconds.
     */
    public static long heartbeatIntervalNs(final Map<String, String> overrides)
    {
        return Settings.parseDurationNs(HEARTBEAT_INTERVAL_PROP_NAME,
            Settings.get(overrides, HEARTBEAT_INTERVAL_PROP_NAME, HEARTBEAT_INTERVAL_DEFAULT));
    }

    /**
     * Longest idle park from settings.
     *
     * @param overrides explicit values.
     * @return nanoseconds.
     */
    public static long idleMaxParkNs(final Map<String, String> overrides)
    {
        return Settings.parseDurationNs(
            IDLE_MAX_PARK_PROP_NAME, Settings.get(overrides, IDLE_MAX_PARK_PROP_NAME, IDLE_MAX_PARK_DEFAULT));
    }

    /**
     * Yields of an idle strategy before it parks, from settings (system property, then environment).
     *
     * @param overrides explicit values.
     * @return the count, 0 to 1,000,000.
     */
    public static int idleYields(final Map<String, String> overrides)
    {
        return Settings.parseInt(IDLE_YIELDS_PROP_NAME,
            Settings.get(overrides, IDLE_YIELDS_PROP_NAME, Integer.toString(IDLE_YIELDS_DEFAULT)), 0, 1_000_000);
    }
}
