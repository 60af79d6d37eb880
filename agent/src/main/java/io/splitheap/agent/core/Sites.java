package io.splitheap.agent.core;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Numbered places in rewritten code, registered when their class is rewritten: array allocation sites (which can be
 * learned as local when their arrays must be heap arrays) and calls across the JDK boundary (named in errors).
 */
public final class Sites
{
    /**
     * Rewritten array allocations.
     */
    public static final Sites ALLOCATIONS = new Sites();

    /**
     * Rewritten calls into uninstrumented code.
     */
    public static final Sites CALLS = new Sites();

    private final ArrayList<String> descriptions = new ArrayList<>();
    private volatile boolean[] local = new boolean[1024];

    private Sites()
    {
    }

    /**
     * Numbers a site.
     *
     * @param description class, method and line, for messages.
     * @return the site id.
     */
    public synchronized int register(final String description)
    {
        descriptions.add(description);
        final int site = descriptions.size() - 1;
        if (site >= local.length)
        {
            local = Arrays.copyOf(local, local.length * 2);
        }
        return site;
    }

    /**
     * Whether a site was learned to allocate locally.
     *
     * @param site site id.
     * @return true if local.
     */
    public boolean isLocal(final int site)
    {
        final boolean[] local = this.local;
        return site >= 0 && site < local.length && local[site];
    }

    /**
     * Learns that a site must allocate locally.
     *
     * @param site site id.
     * @return true if this changed the site.
     */
    public synchronized boolean learnLocal(final int site)
    {
        if (site < 0 || site >= local.length || local[site])
        {
            return false;
        }
        final boolean[] copy = local.clone();
        copy[site] = true;
        local = copy;
        return true;
    }

    /**
     * A site's description.
     *
     * @param site site id.
     * @return class.method(file:line), or a note for unknown ids.
     */
    public synchronized String describe(final int site)
    {
        return site >= 0 && site < descriptions.size() ? descriptions.get(site) : "unknown site " + site;
    }

    /**
     * Sites learned local.
     *
     * @return count.
     */
    public synchronized int learnedLocalCount()
    {
        int count = 0;
        for (int i = 0; i < descriptions.size(); i++)
        {
            if (local[i])
            {
                count++;
            }
        }
        return count;
    }

    /**
     * Sites registered.
     *
     * @return count.
     */
    public synchronized int size()
    {
        return descriptions.size();
    }
}
