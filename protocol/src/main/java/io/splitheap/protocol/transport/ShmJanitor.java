package io.splitheap.protocol.transport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes Aeron directories that Splitheap JVMs left behind when they were killed. Every Splitheap directory is
 * named {@code splitheap-<role>-<pid>-<n>}; a directory whose pid no longer runs is deleted. Runs when a component
 * starts, and from test fixtures.
 */
public final class ShmJanitor
{
    /**
     * Prefix of every directory Splitheap creates for Aeron.
     */
    public static final String PREFIX = "splitheap-";

    private static final Pattern NAME = Pattern.compile("^splitheap-[a-z0-9-]+?-(\\d+)-\\d+$");

    private ShmJanitor()
    {
    }

    /**
     * The directory name for a new Aeron directory of this JVM.
     *
     * @param role   short role name, lowercase letters, digits and dashes.
     * @param serial distinguishes several directories of one JVM.
     * @return the name (not a path).
     */
    public static String directoryName(final String role, final int serial)
    {
        return PREFIX + role + "-" + ProcessHandle.current().pid() + "-" + serial;
    }

    /**
     * Creates a directory that only this user can enter, named like the Aeron directories so that it is deleted by
     * the next Splitheap JVM on this host if this one dies without cleaning up: in {@code /dev/shm} when it exists,
     * else in the temporary folder.
     *
     * @param role   short role name.
     * @param serial distinguishes several directories of one JVM.
     * @return the directory.
     */
    public static Path createPrivateDirectory(final String role, final int serial)
    {
        final File shm = new File("/dev/shm");
        final String base = shm.isDirectory() && shm.canWrite() ? shm.getPath() : System.getProperty("java.io.tmpdir");
        final Path dir = Path.of(base, directoryName(role, serial));
        try
        {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix"))
            {
                Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            else
            {
                Files.createDirectory(dir);
            }
            return dir;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create " + dir + ": " + ex, ex);
        }
    }

    /**
     * Deletes directories of dead Splitheap JVMs under a base folder.
     *
     * @param baseDir the folder, usually /dev/shm.
     * @return how many directories were removed.
     */
    public static int sweep(final String baseDir)
    {
        final File[] entries = new File(baseDir).listFiles();
        if (entries == null)
        {
            return 0;
        }
        int removed = 0;
        for (final File entry : entries)
        {
            final Matcher matcher = NAME.matcher(entry.getName());
            if (entry.isDirectory() && matcher.matches() && !isAlive(Long.parseLong(matcher.group(1))))
            {
                deleteRecursively(entry.toPath());
                removed++;
            }
        }
        return removed;
    }

    /**
     * Whether a process runs.
     *
     * @param pid the process id.
     * @return true if alive.
     */
    public static boolean isAlive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Deletes a file tree, ignoring files that vanish meanwhile.
     *
     * @param root the tree.
     */
    public static void deleteRecursively(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(ShmJanitor::deleteQuietly);
        }
        catch (final IOException ignore)
        {
            // best effort: a concurrent delete is fine
        }
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // best effort
        }
    }
}
