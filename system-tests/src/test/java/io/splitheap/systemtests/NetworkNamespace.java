package io.splitheap.systemtests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own, joined to the host by a veth pair on a private /24: the host side holds
 * {@code .1}, the namespace side {@code .2}. A process started through {@link #exec} lives on the far side of the
 * link; {@link #cut} takes the namespace side of the link down (both directions stop; the host keeps its address and
 * its local traffic, since its side stays up), and {@link #heal} brings it back. Closing deletes both (the veth goes
 * with the namespace). Needs root and iproute2; {@link #available} says whether this host allows it.
 */
final class NetworkNamespace implements AutoCloseable
{
    private static final long COMMAND_TIMEOUT_S = 10;

    private final String name;
    private final String hostSide;
    private final String namespaceSide;
    private final String hostAddress;
    private final String namespaceAddress;

    private NetworkNamespace(final String tag, final int subnet)
    {
        this.name = "splitheap-" + tag;
        this.hostSide = "shh" + tag;
        this.namespaceSide = "shn" + tag;
        this.hostAddress = "10.213." + subnet + ".1";
        this.namespaceAddress = "10.213." + subnet + ".2";
    }

    /**
     * Whether this host lets the test create network namespaces (root, iproute2).
     *
     * @return true if a namespace could be created and deleted.
     */
    static boolean available()
    {
        final String probe = "splitheap-probe-" + ProcessHandle.current().pid();
        try
        {
            if (run("ip", "netns", "add", probe) != 0)
            {
                return false;
            }
            return run("ip", "netns", "del", probe) == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Creates a namespace and its link, named after this JVM's pid (leftovers of a killed run with the same names are
     * deleted first).
     *
     * @return the namespace.
     * @throws IOException if a command fails.
     */
    static NetworkNamespace create() throws IOException
    {
        final long pid = ProcessHandle.current().pid();
        final NetworkNamespace namespace = new NetworkNamespace(Long.toString(pid % 100_000), (int)(20 + pid % 200));
        namespace.delete();
        namespace.check("ip", "netns", "add", namespace.name);
        namespace.check("ip", "link", "add", namespace.hostSide, "type", "veth", "peer", "name",
            namespace.namespaceSide);
        namespace.check("ip", "link", "set", namespace.namespaceSide, "netns", namespace.name);
        namespace.check("ip", "addr", "add", namespace.hostAddress + "/24", "dev", namespace.hostSide);
        namespace.check("ip", "link", "set", namespace.hostSide, "up");
        namespace.inside("ip", "link", "set", "lo", "up");
        namespace.inside("ip", "addr", "add", namespace.namespaceAddress + "/24", "dev", namespace.namespaceSide);
        namespace.inside("ip", "link", "set", namespace.namespaceSide, "up");
        return namespace;
    }

    /**
     * The host side's address.
     *
     * @return an IPv4 address.
     */
    String hostAddress()
    {
        return hostAddress;
    }

    /**
     * The namespace side's address.
     *
     * @return an IPv4 address.
     */
    String namespaceAddress()
    {
        return namespaceAddress;
    }

    /**
     * A command line that runs a command inside the namespace.
     *
     * @param command the command.
     * @return {@code ip netns exec NAME command...}.
     */
    List<String> exec(final List<String> command)
    {
        final List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", name));
        line.addAll(command);
        return line;
    }

    /**
     * Cuts the link: nothing passes between the namespace and the host.
     *
     * @throws IOException if the command fails.
     */
    void cut() throws IOException
    {
        inside("ip", "link", "set", namespaceSide, "down");
    }

    /**
     * Heals the link.
     *
     * @throws IOException if the command fails.
     */
    void heal() throws IOException
    {
        inside("ip", "link", "set", namespaceSide, "up");
    }

    /**
     * Deletes the namespace and its link.
     */
    public void close()
    {
        delete();
    }

    private void delete()
    {
        try
        {
            run("ip", "netns", "del", name);
            run("ip", "link", "del", hostSide);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot delete network namespace " + name, ex);
        }
    }

    private void inside(final String... command) throws IOException
    {
        check(exec(List.of(command)).toArray(String[]::new));
    }

    private void check(final String... command) throws IOException
    {
        final int exit = run(command);
        if (exit != 0)
        {
            throw new IOException(String.join(" ", command) + " failed with exit " + exit);
        }
    }

    private static int run(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " took more than " + COMMAND_TIMEOUT_S + " s");
            }
            process.getInputStream().readAllBytes();
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), ex);
        }
        finally
        {
            process.getInputStream().close();
        }
    }

    @Override
    public String toString()
    {
        return name + " (" + hostAddress + " | " + namespaceAddress + ")";
    }
}
