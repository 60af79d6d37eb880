package io.splitheap.launcher.commands;

import io.splitheap.coordinator.Coordinator;
import io.splitheap.launcher.Converters;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import picocli.CommandLine;

import java.util.concurrent.Callable;

/**
 * {@code splitheap coordinator}: a coordinator alone, for a multi-host deployment over Aeron UDP.
 */
@CommandLine.Command(name = "coordinator", mixinStandardHelpOptions = true,
    description = {"Starts the coordinator and runs until stopped.",
        "Once ready it prints: splitheap-coordinator-ready coordinator=HOST:PORT"})
public final class CoordinatorCommand implements Callable<Integer>
{
    @CommandLine.Option(names = "--bind", defaultValue = "127.0.0.1:40100", paramLabel = "HOST:PORT",
        converter = Converters.EndpointConverter.class,
        description = "Where nodes and agents reach the coordinator (default: ${DEFAULT-VALUE}).")
    Endpoint bind;

    @CommandLine.Option(names = "--secret-file", required = true, paramLabel = "PATH",
        description = "The cluster secret every member holds (create one with 'splitheap secret --out PATH').")
    java.nio.file.Path secretFile;

    @CommandLine.Option(names = "--data-dir", paramLabel = "DIR",
        description = {"Folder for the coordinator's state (nodes, processes, placements).",
            "With it, a coordinator restarted with the same DIR goes on where it stopped: running programs keep",
            "their far memory and routes, and only new allocations wait while it is down.",
            "Without it, a restarted coordinator starts a new cluster."})
    java.io.File dataDir;

    @CommandLine.Option(names = "--vregion-size", paramLabel = "SIZE",
        description = "vRegion size, a power of two (default: splitheap.vregion.size or 1g).")
    Long vRegionSize;

    /**
     * {@inheritDoc}
     */
    public Integer call() throws InterruptedException
    {
        final Coordinator.Context context = new Coordinator.Context().bind(bind).secretFile(secretFile);
        if (dataDir != null)
        {
            context.dataDir(dataDir);
        }
        if (vRegionSize != null)
        {
            if (Long.bitCount(vRegionSize) != 1 || vRegionSize < (1L << FarAddress.MIN_VREGION_SHIFT))
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--vregion-size must be a power of two of at least 64k, was " + vRegionSize);
            }
            context.vRegionShift(Long.numberOfTrailingZeros(vRegionSize));
        }
        final Coordinator coordinator = Coordinator.launch(context);
        System.out.println("splitheap-coordinator-ready coordinator=" + coordinator.endpoint());
        System.out.flush();
        Foreground.runUntilStopped(coordinator);
        return 0;
    }
}
