package io.splitheap.testsupport;

import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.transport.ShmJanitor;

import java.io.File;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Splitheap Aeron directories in the shared-memory folder, for tests that check nothing is left behind.
 */
public final class ShmDirectories
{
    private ShmDirectories()
    {
    }

    /**
     * Current Splitheap directories.
     *
     * @return names.
     */
    public static Set<String> list()
    {
        final File[] files = new File(CommonConfiguration.aeronDirBase(Map.of())).listFiles();
        final Set<String> names = new TreeSet<>();
        if (files != null)
        {
            Arrays.stream(files).map(File::getName).filter(n -> n.startsWith(ShmJanitor.PREFIX)).forEach(names::add);
        }
        return names;
    }

    /**
     * Directories belonging to a process.
     *
     * @param pid the process id.
     * @return names.
     */
    public static Set<String> of(final long pid)
    {
        final Set<String> names = new TreeSet<>();
        for (final String name : list())
        {
            if (name.matches("splitheap-.*-" + pid + "-\\d+"))
            {
                names.add(name);
            }
        }
        return names;
    }
}
