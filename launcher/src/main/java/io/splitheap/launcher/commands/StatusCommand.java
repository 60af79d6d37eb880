package io.splitheap.launcher.commands;

import io.splitheap.launcher.Converters;
import io.splitheap.launcher.cluster.ClusterStatusClient;
import io.splitheap.launcher.cluster.ClusterView;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.security.ClusterSecret;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.TransportSecurity;
import picocli.CommandLine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code splitheap status}: what a running cluster holds, as a table or as JSON.
 */
@CommandLine.Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows a running cluster: members (alive, last heartbeat, capacity, pages, authentication",
        "failures), processes (pid, host, live and reserved far bytes) and where each vRegion lives."})
public final class StatusCommand implements Callable<Integer>
{
    @CommandLine.Option(names = "--coordinator", defaultValue = "127.0.0.1:40100", paramLabel = "HOST:PORT",
        converter = Converters.EndpointConverter.class, description = "The coordinator (default: ${DEFAULT-VALUE}).")
    Endpoint coordinator;

    @CommandLine.Option(names = "--secret-file", required = true, paramLabel = "PATH",
        description = "The cluster's secret (status is a member's view).")
    Path secretFile;

    @CommandLine.Option(names = "--watch", paramLabel = "SECONDS",
        description = "Print again every SECONDS until stopped.")
    Integer watchSeconds;

    @CommandLine.Option(names = "--json", description = "One JSON object per report, for scripts.")
    boolean json;

    /**
     * {@inheritDoc}
     */
    public Integer call() throws InterruptedException
    {
        final ClusterSecret secret = ClusterSecret.load(secretFile);
        if (watchSeconds != null && watchSeconds < 1)
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--watch must be at least 1 second");
        }
        final Map<String, String> none = Map.of();
        final ErrorLog errors = new ErrorLog("status", System.err);
        try (AeronResources aeron = AeronResources.launchEmbedded("status", CommonConfiguration.aeronDirBase(none),
            CommonConfiguration.termLength(none), CommonConfiguration.idleMaxParkNs(none), errors);
            ClusterStatusClient client = new ClusterStatusClient(aeron.aeron(), coordinator,
                CommonConfiguration.mtu(none), CommonConfiguration.termLength(none),
                CommonConfiguration.requestTimeoutNs(none), TransportSecurity.of(secret)))
        {
            final PrintStream out = System.out;
            while (true)
            {
                final ClusterView view = client.view();
                out.println(json ? StatusReport.json(coordinator, view) : StatusReport.table(coordinator, view));
                out.flush();
                if (watchSeconds == null)
                {
                    return 0;
                }
                TimeUnit.SECONDS.sleep(watchSeconds);
            }
        }
    }
}
