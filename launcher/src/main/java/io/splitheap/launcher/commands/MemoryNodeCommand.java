package io.splitheap.launcher.commands;

import io.splitheap.launcher.Converters;
import io.splitheap.memorynode.MemoryNode;
import io.splitheap.protocol.Endpoint;
import picocli.CommandLine;

import java.io.File;
import java.util.concurrent.Callable;

/**
 * {@code splitheap memory-node}: a memory node alone.
 */
@CommandLine.Command(name = "memory-node", mixinStandardHelpOptions = true,
    description = {"Starts a memory node that registers with a coordinator and runs until stopped.",
        "Its pages live in DIR and survive a restart with the same --data-dir."})
public final class MemoryNodeCommand implements Callable<Integer>
{
    @CommandLine.Option(names = "--coordinator", required = true, paramLabel = "HOST:PORT",
        converter = Converters.EndpointConverter.class, description = "The coordinator.")
    Endpoint coordinator;

    @CommandLine.Option(names = "--bind", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
        converter = Converters.EndpointConverter.class,
        description = "Where agents and the coordinator reach this node (default: ${DEFAULT-VALUE}, any port).")
    Endpoint bind;

    @CommandLine.Option(names = "--capacity", defaultValue = "2g", paramLabel = "SIZE",
        description = "Most bytes of pages stored (default: ${DEFAULT-VALUE}).")
    long capacity;

    @CommandLine.Option(names = "--data-dir", required = true, paramLabel = "DIR",
        description = "Folder for the page map and metadata.")
    File dataDir;

    @CommandLine.Option(names = "--secret-file", required = true, paramLabel = "PATH",
        description = "The cluster secret every member holds (create one with 'splitheap secret --out PATH').")
    java.nio.file.Path secretFile;

    @CommandLine.Option(names = "--node-id", defaultValue = "0", paramLabel = "ID",
        description = "Node id to ask for (default: the one stored in DIR, else any).")
    int nodeId;

    /**
     * {@inheritDoc}
     */
    public Integer call() throws InterruptedException
    {
        final MemoryNode node = MemoryNode.launch(new MemoryNode.Context()
            .coordinator(coordinator).bind(bind).secretFile(secretFile).capacityBytes(capacity).dataDir(dataDir)
            .nodeId(nodeId));
        try
        {
            // as long as a request may take: a coordinator that does not answer by then is not coming
            node.awaitRegistered(io.splitheap.protocol.CommonConfiguration.requestTimeoutNs(java.util.Map.of()));
        }
        catch (final io.splitheap.protocol.exceptions.TimeoutException ex)
        {
            node.close();
            System.err.println("splitheap memory-node: " + ex.getMessage() + "; check that the coordinator runs, " +
                "is reachable, and was given the same --secret-file");
            return 1;
        }
        System.out.println("splitheap-memory-node-ready node=" + node.nodeId() + " endpoint=" + node.endpoint());
        System.out.flush();
        Foreground.runUntilStopped(node);
        return 0;
    }
}
