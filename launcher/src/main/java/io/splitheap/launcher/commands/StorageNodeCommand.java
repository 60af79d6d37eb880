package io.splitheap.launcher.commands;

import io.splitheap.launcher.Converters;
import io.splitheap.protocol.Endpoint;
import io.splitheap.storagenode.StorageNode;
import picocli.CommandLine;

import java.io.File;
import java.util.concurrent.Callable;

/**
 * {@code splitheap storage-node}: a storage node alone.
 */
@CommandLine.Command(name = "storage-node", mixinStandardHelpOptions = true,
    description = "Starts a storage node that registers with a coordinator and runs until stopped.")
public final class StorageNodeCommand implements Callable<Integer>
{
    @CommandLine.Option(names = "--coordinator", required = true, paramLabel = "HOST:PORT",
        converter = Converters.EndpointConverter.class, description = "The coordinator.")
    Endpoint coordinator;

    @CommandLine.Option(names = "--bind", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
        converter = Converters.EndpointConverter.class,
        description = "Where the coordinator reaches this node (default: ${DEFAULT-VALUE}, any port).")
    Endpoint bind;

    @CommandLine.Option(names = "--capacity", defaultValue = "16g", paramLabel = "SIZE",
        description = "Durable capacity offered (default: ${DEFAULT-VALUE}).")
    long capacity;

    @CommandLine.Option(names = "--secret-file", required = true, paramLabel = "PATH",
        description = "The cluster secret every member holds (create one with 'splitheap secret --out PATH').")
    java.nio.file.Path secretFile;

    @CommandLine.Option(names = "--data-dir", paramLabel = "DIR", description = "Folder for logs and checkpoints.")
    File dataDir;

    /**
     * {@inheritDoc}
     */
    public Integer call() throws InterruptedException
    {
        final StorageNode node = StorageNode.launch(new StorageNode.Context()
            .coordinator(coordinator).bind(bind).secretFile(secretFile).capacityBytes(capacity).dataDir(dataDir));
        try
        {
            node.awaitRegistered(io.splitheap.protocol.CommonConfiguration.requestTimeoutNs(java.util.Map.of()));
        }
        catch (final io.splitheap.protocol.exceptions.TimeoutException ex)
        {
            node.close();
            System.err.println("splitheap storage-node: " + ex.getMessage() + "; check that the coordinator runs, " +
                "is reachable, and was given the same --secret-file");
            return 1;
        }
        System.out.println("splitheap-storage-node-ready node=" + node.nodeId() + " endpoint=" + node.endpoint());
        System.out.flush();
        Foreground.runUntilStopped(node);
        return 0;
    }
}
