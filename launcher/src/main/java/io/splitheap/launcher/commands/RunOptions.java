package io.splitheap.launcher.commands;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.splitheap.agent.AgentConfiguration;
import io.splitheap.launcher.Converters;
import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.launcher.cluster.NodeStatus;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.NodeKind;
import picocli.CommandLine;

import io.splitheap.protocol.CommonConfiguration;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Options and behaviour shared by {@code run} and {@code demo}: start an embedded cluster (unless a coordinator is
 * given), run a Java program with the agent, report, stop the cluster.
 */
public final class RunOptions
{
    private static final JsonFactory JSON = new JsonFactory();

    @CommandLine.Option(names = "--excache", paramLabel = "SIZE",
        description = "Local cache of far memory (default: 256m for run, 64m for demo).")
    Long excache;

    @CommandLine.Option(names = "--agent", paramLabel = "OPTS",
        description = "More agent options, comma separated (for example threshold=1m,excache.policy=lru).")
    String agentOptions;

    @CommandLine.Option(names = "--coordinator", paramLabel = "HOST:PORT",
        converter = Converters.EndpointConverter.class,
        description = "Use a running cluster instead of starting one.")
    Endpoint coordinator;

    @CommandLine.Option(names = "--agent-jar", paramLabel = "JAR", description = "The agent jar to attach.")
    File agentJar;

    @CommandLine.Mixin
    ClusterOptions cluster;

    Outcome execute(final List<String> javaArgs, final long defaultExcache) throws Exception
    {
        final File jar = Artifacts.agentJar(agentJar);
        // a mistyped option fails here, in a second, not after a cluster started (coordinator and secret come later)
        AgentConfiguration.parse("coordinator=local" +
            (agentOptions == null || agentOptions.isBlank() ? "" : "," + agentOptions));
        EmbeddedCluster embedded = null;
        Thread closeOnExit = null;
        try
        {
            Endpoint target = coordinator;
            if (target == null)
            {
                final EmbeddedCluster started = EmbeddedCluster.start(cluster.context(0));
                embedded = started;
                closeOnExit = new Thread(started::close, "splitheap-cluster-shutdown");
                Runtime.getRuntime().addShutdownHook(closeOnExit);
                target = started.coordinatorEndpoint();
            }
            // the embedded cluster's media driver is shared with the program: its memory nodes are reached over
            // shared memory (aeron:ipc); --agent aeron.dir= keeps UDP loopback
            final String shared = embedded != null ? ",aeron.dir=" + embedded.aeronDirectory() : "";
            final java.nio.file.Path secretFile = embedded != null ? embedded.secretFile() : cluster.secretFile;
            if (secretFile == null)
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--coordinator needs --secret-file PATH: the cluster's secret file");
            }
            // on a terminal, a progress line every 10 s unless the user chose
            final boolean userProgress = agentOptions != null && agentOptions.contains("progress=");
            final String progress = System.console() != null && !userProgress ? ",progress=10" : "";
            final String options = "coordinator=" + target + ",secret.file=" + secretFile + progress +
                ",excache=" + excacheBytes(defaultExcache) +
                ",stats=true" + shared + (agentOptions == null || agentOptions.isBlank() ? "" : "," + agentOptions);
            final ChildJvm child = new ChildJvm(jar, options, javaArgs);
            final int exit = child.run(System.err);
            List<NodeStatus> nodes = List.of();
            if (embedded != null)
            {
                // page counts come with heartbeats: let the nodes report the program's release first
                Thread.sleep(2 * TimeUnit.NANOSECONDS.toMillis(
                    CommonConfiguration.heartbeatIntervalNs(java.util.Map.of())));
                nodes = embedded.status();
                System.err.println(clusterLine(nodes));
                System.err.flush();
            }
            return new Outcome(exit, child.statsLine(), nodes);
        }
        finally
        {
            if (embedded != null)
            {
                embedded.close();
                removeHook(closeOnExit);
            }
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // the JVM is already shutting down and runs the hook; close is idempotent
        }
    }

    long excacheBytes(final long defaultExcache)
    {
        return excache == null ? defaultExcache : excache;
    }

    static String clusterLine(final List<NodeStatus> nodes)
    {
        final StringWriter json = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(json))
        {
            out.writeStartObject();
            out.writeArrayFieldStart("memory_nodes");
            for (final NodeStatus node : nodes)
            {
                if (node.kind() != NodeKind.MEMORY)
                {
                    continue;
                }
                out.writeStartObject();
                out.writeNumberField("id", node.nodeId());
                out.writeNumberField("pages", node.usedPages());
                out.writeNumberField("peak_pages", node.peakPages());
                out.writeBooleanField("alive", node.alive());
                out.writeNumberField("auth_failures", node.authFailures());
                out.writeNumberField("malformed_messages", node.malformedMessages());
                out.writeStringField("endpoint", String.valueOf(node.endpoint()));
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return "splitheap-cluster " + json;
    }

    /**
     * What a run produced.
     *
     * @param exit      the program's exit code.
     * @param statsLine the agent's statistics line, or null.
     * @param nodes     the embedded cluster's nodes after the run (empty with --coordinator).
     */
    record Outcome(int exit, io.splitheap.launcher.AgentStatsLine statsLine, List<NodeStatus> nodes)
    {
    }
}
