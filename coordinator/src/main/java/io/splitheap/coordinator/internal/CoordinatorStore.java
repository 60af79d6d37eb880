package io.splitheap.coordinator.internal;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.exceptions.SplitheapException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The coordinator's state on disk ({@code --data-dir}): its incarnation (from which process secrets and node
 * capabilities derive), the nodes, the processes with their vRegions and epochs, and the counters (next pid, routing
 * epoch). A restarted coordinator loads it and goes on where it stopped: running programs keep their pids, secrets and
 * routes, nodes keep their ids and vRegions.
 * <p>
 * The file is the whole registry, a few bytes per vRegion, written anew (to a temporary file, forced to disk, then
 * renamed over the old one) whenever it changed and something that reveals the change is about to leave the
 * coordinator ({@link ClusterRegistry#makeDurable}). What is not kept: heartbeat times and load figures (restored nodes
 * and processes count as heard from at the restart), and operations in progress (a copy to a new secondary is
 * abandoned and tried again; see {@link Replication#restored}).
 */
public final class CoordinatorStore implements AutoCloseable
{
    /**
     * The state file's name in the data directory.
     */
    public static final String FILE_NAME = "coordinator-state.bin";

    /**
     * The lock file's name in the data directory: held while a coordinator uses it.
     */
    public static final String LOCK_NAME = "coordinator.lock";

    private static final int MAGIC = 0x53484353;
    private static final int FORMAT = 1;

    private final Path file;
    private final Path temporary;
    private FileChannel lockChannel;
    private FileLock lock;
    private long saves;

    /**
     * A store in a directory, created if missing.
     *
     * @param dataDir the directory.
     */
    public CoordinatorStore(final File dataDir)
    {
        try
        {
            Files.createDirectories(dataDir.toPath());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the coordinator's data directory " + dataDir, ex);
        }
        this.file = dataDir.toPath().resolve(FILE_NAME);
        this.temporary = dataDir.toPath().resolve(FILE_NAME + ".tmp");
    }

    /**
     * Takes the data directory for this coordinator: a second coordinator given the same directory (on this host)
     * stops with an error instead of overwriting the first one's state.
     *
     * @return this.
     */
    public CoordinatorStore lock()
    {
        final Path lockFile = file.resolveSibling(LOCK_NAME);
        FileLock acquired;
        try
        {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            acquired = lockChannel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            acquired = null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot lock the coordinator's data directory " + file.getParent(), ex);
        }
        if (acquired == null)
        {
            closeQuietly(lockChannel);
            lockChannel = null;
            throw new SplitheapException("the coordinator's data directory " + file.getParent() + " is in use by " +
                "another coordinator (" + lockFile + " is locked): two coordinators must not share one state; stop " +
                "the other or give this one another --data-dir", SplitheapException.Category.FATAL, null);
        }
        lock = acquired;
        return this;
    }

    /**
     * Releases the data directory (see {@link #lock}).
     */
    public void close()
    {
        if (lock != null)
        {
            try
            {
                lock.release();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot release " + file.resolveSibling(LOCK_NAME), ex);
            }
            finally
            {
                closeQuietly(lockChannel);
                lock = null;
                lockChannel = null;
            }
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            if (channel != null)
            {
                channel.close();
            }
        }
        catch (final IOException ignored)
        {
            // a channel opened only to hold a lock
        }
    }

    /**
     * The state file.
     *
     * @return its path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Times the state was written.
     *
     * @return count.
     */
    public long saves()
    {
        return saves;
    }

    /**
     * Writes the whole state durably.
     *
     * @param registry    the registry.
     * @param incarnation the coordinator's incarnation.
     */
    public void save(final ClusterRegistry registry, final long incarnation)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(incarnation);
            out.writeInt(registry.vRegionShift());
            out.writeInt(registry.nextPid());
            out.writeLong(registry.routingEpoch());
            out.writeInt(registry.nodes().size());
            for (final MemberNode node : registry.nodes())
            {
                writeNode(out, node);
            }
            out.writeInt(registry.processes().size());
            for (final ProcessRecord process : registry.processes())
            {
                writeProcess(out, process);
            }
            final CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the coordinator's state to " + temporary, ex);
        }
        try
        {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot replace the coordinator's state " + file, ex);
        }
        saves++;
    }

    /**
     * Loads the persisted state into an empty registry.
     *
     * @param registry the registry (its vRegion size must be the persisted one).
     * @param nowNs    current nano time: restored nodes and processes count as heard from now.
     * @return the persisted incarnation, or 0 when there is no state yet.
     */
    public long load(final ClusterRegistry registry, final long nowNs)
    {
        if (!Files.exists(file))
        {
            return 0;
        }
        final byte[] content;
        try
        {
            content = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the coordinator's state " + file, ex);
        }
        if (content.length < 4 * Integer.BYTES + Long.BYTES)
        {
            throw corrupt("truncated, " + content.length + " bytes");
        }
        final CRC32 crc = new CRC32();
        crc.update(content, 0, content.length - Long.BYTES);
        if (crc.getValue() != ByteBuffer.wrap(content, content.length - Long.BYTES, Long.BYTES).getLong())
        {
            throw corrupt("checksum mismatch");
        }
        try (DataInputStream in = new DataInputStream(
            new ByteArrayInputStream(Arrays.copyOf(content, content.length - Long.BYTES))))
        {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT)
            {
                throw corrupt("not a coordinator state file of format " + FORMAT);
            }
            final long incarnation = in.readLong();
            final int vRegionShift = in.readInt();
            if (vRegionShift != registry.vRegionShift())
            {
                throw new SplitheapException("the coordinator's state in " + file + " was made with vRegions of " +
                    (1L << vRegionShift) + " bytes, this coordinator is configured with " +
                    (1L << registry.vRegionShift()) + ": start it with --vregion-size " + (1L << vRegionShift) +
                    ", or with another --data-dir for a new cluster", SplitheapException.Category.FATAL, null);
            }
            registry.restoreCounters(in.readInt(), in.readLong());
            for (int i = in.readInt(); i > 0; i--)
            {
                registry.restoreNode(readNode(in, nowNs));
            }
            for (int i = in.readInt(); i > 0; i--)
            {
                registry.restoreProcess(readProcess(in, nowNs));
            }
            return incarnation;
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw corrupt(ex.toString());
        }
    }

    private SplitheapException corrupt(final String why)
    {
        return new SplitheapException("the coordinator's state " + file + " is unreadable (" + why + "): restore " +
            "it, or start with another --data-dir for a new cluster (running programs and node contents are then lost)",
            SplitheapException.Category.FATAL, null);
    }

    private static void writeNode(final DataOutputStream out, final MemberNode node) throws IOException
    {
        out.writeInt(node.id());
        out.writeByte(node.kind().value());
        out.writeUTF(node.endpoint().toString());
        out.writeLong(node.capacityBytes());
        out.writeBoolean(node.isAlive());
        out.writeInt(node.unacknowledgedRevocations().size());
        for (final MemberNode.Revocation revocation : node.unacknowledgedRevocations())
        {
            out.writeInt(revocation.pid());
            out.writeLong(revocation.vRegion());
            out.writeLong(revocation.epoch());
        }
    }

    private static MemberNode readNode(final DataInputStream in, final long nowNs) throws IOException
    {
        final int id = in.readInt();
        final NodeKind kind = NodeKind.get((short)in.readUnsignedByte());
        final Endpoint endpoint = Endpoint.parse(in.readUTF());
        final MemberNode node = new MemberNode(id, kind, endpoint, in.readLong(), nowNs);
        node.alive(in.readBoolean());
        for (int i = in.readInt(); i > 0; i--)
        {
            node.revoke(new MemberNode.Revocation(in.readInt(), in.readLong(), in.readLong()));
        }
        return node;
    }

    private static void writeProcess(final DataOutputStream out, final ProcessRecord process) throws IOException
    {
        out.writeInt(process.pid());
        out.writeLong(process.secret());
        out.writeLong(process.hostPid());
        out.writeUTF(process.hostName());
        out.writeLong(process.nextVRegion());
        out.writeInt(process.regions().size());
        for (final RegionRecord region : process.regions())
        {
            out.writeLong(region.vRegion());
            out.writeInt(region.primaryNodeId());
            out.writeInt(region.secondaryNodeId());
            out.writeLong(region.epoch());
            out.writeByte(region.secondaryState().value());
            out.writeLong(region.used());
            out.writeLong(region.live());
        }
    }

    private static ProcessRecord readProcess(final DataInputStream in, final long nowNs) throws IOException
    {
        final ProcessRecord process = new ProcessRecord(in.readInt(), in.readLong(), in.readLong(), in.readUTF(),
            nowNs);
        process.nextVRegion(in.readLong());
        for (int i = in.readInt(); i > 0; i--)
        {
            process.addRegion(RegionRecord.restored(in.readLong(), in.readInt(), in.readInt(), in.readLong(),
                SecondaryState.get((short)in.readUnsignedByte()), in.readLong(), in.readLong()));
        }
        return process;
    }
}
