package io.splitheap.memorynode.internal;

import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.collections.Int2ObjectHashMap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The node's small metadata, persisted beside the page map so that a restarted node knows its id, its vRegion
 * assignments and its vmas. A text file, replaced atomically on every change:
 * <pre>
 * node-id 2
 * region &lt;pid&gt; &lt;vRegion&gt; &lt;epoch&gt; &lt;PRIMARY|SECONDARY&gt; &lt;primaryId&gt; &lt;secondaryId&gt;
 * vma &lt;pid&gt; &lt;start&gt; &lt;end&gt;
 * </pre>
 * Changes come at allocation granularity (arenas of megabytes), so rewriting the file is cheap.
 */
public final class NodeMetadata
{
    private final Path file;
    private int nodeId;
    private long incarnation;

    /**
     * Metadata stored in a file.
     *
     * @param file the file (need not exist).
     */
    public NodeMetadata(final Path file)
    {
        this.file = file;
    }

    /**
     * Loads the file into process spaces.
     *
     * @param spaces filled with what the file holds.
     */
    public void load(final Int2ObjectHashMap<ProcessSpace> spaces)
    {
        if (!Files.exists(file))
        {
            return;
        }
        try
        {
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                parse(line.trim(), spaces);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new SplitheapException("cannot read node metadata file=" + file + ": " + ex,
                SplitheapException.Category.FATAL, ex);
        }
    }

    /**
     * The persisted node id.
     *
     * @return id, 0 if none.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * Sets the node id (persisted on the next save).
     *
     * @param nodeId the id.
     */
    public void nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
    }

    /**
     * The incarnation of the coordinator this node last registered with (0: unknown, a file of an older version).
     *
     * @return the incarnation.
     */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * Sets the incarnation of the coordinator this node registered with.
     *
     * @param incarnation the incarnation.
     */
    public void incarnation(final long incarnation)
    {
        this.incarnation = incarnation;
    }

    /**
     * Writes everything (node id, the coordinator's incarnation, every process's regions and vmas), replacing the
     * file atomically.
     *
     * @param spaces every process space.
     */
    public void save(final Int2ObjectHashMap<ProcessSpace> spaces)
    {
        final StringBuilder text = new StringBuilder(256);
        text.append("node-id ").append(nodeId).append('\n');
        if (incarnation != 0)
        {
            text.append("incarnation ").append(incarnation).append('\n');
        }
        for (final ProcessSpace space : spaces.values())
        {
            for (final Region region : space.regions())
            {
                text.append("region ").append(space.pid()).append(' ').append(region.vRegion()).append(' ')
                    .append(region.epoch()).append(' ').append(region.role()).append(' ')
                    .append(region.primaryNodeId()).append(' ').append(region.secondaryNodeId()).append('\n');
            }
            final List<long[]> vmas = space.vmas();
            for (final long[] vma : vmas)
            {
                text.append("vma ").append(space.pid()).append(' ').append(vma[0]).append(' ').append(vma[1])
                    .append('\n');
            }
        }
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new SplitheapException("cannot write node metadata file=" + file + ": " + ex,
                SplitheapException.Category.ERROR, ex);
        }
    }

    private void parse(final String line, final Int2ObjectHashMap<ProcessSpace> spaces)
    {
        if (line.isEmpty() || line.startsWith("#"))
        {
            return;
        }
        final String[] parts = line.split(" ");
        switch (parts[0])
        {
            case "node-id":
                nodeId = Integer.parseInt(parts[1]);
                break;
            case "incarnation":
                incarnation = Long.parseLong(parts[1]);
                break;
            case "region":
                space(spaces, Integer.parseInt(parts[1])).assign(new Region(Long.parseLong(parts[2]),
                    Long.parseLong(parts[3]), RegionRole.valueOf(parts[4]), Integer.parseInt(parts[5]),
                    Integer.parseInt(parts[6])));
                break;
            case "vma":
                final long start = Long.parseLong(parts[2]);
                space(spaces, Integer.parseInt(parts[1])).addVma(start, Long.parseLong(parts[3]) - start);
                break;
            default:
                throw new IllegalArgumentException("unknown line: " + line);
        }
    }

    private static ProcessSpace space(final Int2ObjectHashMap<ProcessSpace> spaces, final int pid)
    {
        ProcessSpace space = spaces.get(pid);
        if (space == null)
        {
            space = new ProcessSpace(pid);
            spaces.put(pid, space);
        }
        return space;
    }
}
