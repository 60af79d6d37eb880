package io.splitheap.launcher.commands;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import picocli.CommandLine;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code splitheap cluster}: an embedded cluster in the foreground until stopped (Ctrl-C or SIGTERM).
 */
@CommandLine.Command(name = "cluster", mixinStandardHelpOptions = true,
    description = {"Starts a coordinator, memory nodes and a storage node in this JVM and runs until stopped.",
        "Once ready it prints: splitheap-cluster-ready coordinator=HOST:PORT secret-file=PATH, after",
        "splitheap-cluster-driver aeron.dir=PATH (agents on this host given aeron.dir=PATH use shared memory)."})
public final class ClusterCommand implements Callable<Integer>
{
    @CommandLine.Mixin
    ClusterOptions cluster;

    @CommandLine.Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
        description = "The coordinator's port (default: any free port).")
    int port;

    /**
     * {@inheritDoc}
     */
    public Integer call() throws InterruptedException
    {
        final EmbeddedCluster embedded = EmbeddedCluster.start(cluster.context(port));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            embedded.close();
            stopped.countDown();
        }, "splitheap-cluster-shutdown"));
        // programs on this host that pass the driver to their agent reach the nodes over shared memory
        System.out.println("splitheap-cluster-driver aeron.dir=" + embedded.aeronDirectory());
        System.out.println("splitheap-cluster-ready coordinator=" + embedded.coordinatorEndpoint() + " secret-file=" +
            embedded.secretFile());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
