package io.splitheap.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.security.ClusterSecret;
import io.splitheap.protocol.transport.ShmJanitor;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import org.junit.jupiter.api.AfterEach;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the fault-injection tests with real processes share ({@code mvn -Pfaults verify}): a coordinator, memory nodes
 * and programs started as separate JVMs through {@code bin/splitheap}, their logs under {@code target/faults}, the
 * cluster's status as JSON, the checksum of a workload's heap run to compare with, and the program's longest stall.
 * Every process a test starts is stopped after it, and the Aeron directories it left are swept.
 */
abstract class ProcessFaultTest
{
    static final File LOGS = new File(FarRuns.LOGS, "faults");
    static final long READY_TIMEOUT_MS = 60_000;

    /**
     * kvstore updating its table all the time: with a 2 MiB ExCache most lines live on the nodes only.
     */
    static final List<String> KVSTORE_UPDATES = List.of("-jar", ProjectPaths.samplesJar().getPath(),
        "kvstore", "--working-set", "32m", "--ops", "300000");

    private final List<ForkedProcess> processes = new ArrayList<>();

    @AfterEach
    void stopEverything()
    {
        stopProcesses();
        ShmJanitor.sweep(CommonConfiguration.aeronDirBase(Map.of()));
    }

    /**
     * Stops every process the test started, the last started first.
     */
    void stopProcesses()
    {
        for (int i = processes.size() - 1; i >= 0; i--)
        {
            processes.get(i).close();
        }
        processes.clear();
    }

    static int nodeId(final ForkedProcess node) throws IOException
    {
        final Matcher id = Pattern.compile("splitheap-memory-node-ready node=(\\d+)").matcher(node.stdout());
        assertTrue(id.find(), node.logs());
        return Integer.parseInt(id.group(1));
    }

    /**
     * A coordinator in its own JVM, with a fresh secret, on a free loopback port.
     */
    record Cluster(Path dir, Path secret, String coordinator, ForkedProcess process)
    {
    }

    Cluster startCoordinator(final String name, final String... options) throws Exception
    {
        return startCoordinatorOn(name, "127.0.0.1", options);
    }

    /**
     * A coordinator in its own JVM, with a fresh secret, on a free port of an address of this host.
     */
    Cluster startCoordinatorOn(final String name, final String host, final String... options) throws Exception
    {
        final Path dir = Files.createDirectories(LOGS.toPath().resolve(name + "-" + ProcessHandle.current().pid()));
        final Path secret = dir.resolve("cluster.secret");
        Files.deleteIfExists(secret);
        ClusterSecret.generate().write(secret);
        final String coordinator = host + ":" + freeUdpPort();
        final List<String> arguments = new ArrayList<>(List.of("coordinator", "--bind", coordinator,
            "--secret-file", secret.toString()));
        arguments.addAll(List.of(options));
        final ForkedProcess process = start(name + "-coordinator", arguments.toArray(String[]::new));
        awaitLine(process, Pattern.compile("splitheap-coordinator-ready"));
        return new Cluster(dir, secret, coordinator, process);
    }

    Map<Integer, ForkedProcess> startNodes(
        final Path dir, final String coordinator, final Path secret, final String... names) throws Exception
    {
        final Map<Integer, ForkedProcess> nodes = new java.util.HashMap<>();
        for (final String name : names)
        {
            final ForkedProcess node = startNode(name, dir, coordinator, secret);
            nodes.put(nodeId(node), node);
        }
        return nodes;
    }

    ForkedProcess startNode(final String name, final Path dir, final String coordinator, final Path secret)
        throws Exception
    {
        return startNode(name, name, dir, coordinator, secret);
    }

    ForkedProcess startNode(
        final String name,
        final String dataDirName,
        final Path dir,
        final String coordinator,
        final Path secret,
        final String... options) throws Exception
    {
        final ForkedProcess node = start(name, nodeArguments(dir.resolve(dataDirName), coordinator, secret, options));
        awaitLine(node, Pattern.compile("splitheap-memory-node-ready"));
        return node;
    }

    /**
     * A memory node run inside a network namespace, bound to the namespace's address.
     */
    ForkedProcess startNodeIn(
        final NetworkNamespace namespace, final String name, final Path dir, final String coordinator,
        final Path secret) throws Exception
    {
        final List<String> command = namespace.exec(launcher(nodeArguments(dir.resolve(name), coordinator, secret,
            "--bind", namespace.namespaceAddress() + ":0")));
        final ForkedProcess node = track(ForkedProcess.start(LOGS, name, command, Map.of()));
        awaitLine(node, Pattern.compile("splitheap-memory-node-ready"));
        return node;
    }

    private static String[] nodeArguments(
        final Path dataDir, final String coordinator, final Path secret, final String... options) throws IOException
    {
        Files.createDirectories(dataDir);
        final List<String> arguments = new ArrayList<>(List.of("memory-node", "--coordinator", coordinator,
            "--secret-file", secret.toString(), "--capacity", "256m", "--data-dir", dataDir.toString()));
        arguments.addAll(List.of(options));
        return arguments.toArray(String[]::new);
    }

    ForkedProcess start(final String name, final String... arguments) throws IOException
    {
        return start(name, Map.of(), arguments);
    }

    ForkedProcess start(final String name, final Map<String, String> env, final String... arguments)
        throws IOException
    {
        return track(ForkedProcess.start(LOGS, name, launcher(arguments), env));
    }

    /**
     * The command line of {@code bin/splitheap} with arguments.
     */
    static List<String> launcher(final String... arguments)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProjectPaths.launcherScript().getAbsolutePath());
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * A program under {@code bin/splitheap run} against the cluster, 3 s into its update phase (after its
     * {@code loaded} line): the moment the tests inject their fault.
     */
    ForkedProcess startProgram(
        final String name,
        final Map<String, String> env,
        final String coordinator,
        final Path secret,
        final List<String> workload) throws Exception
    {
        final ForkedProcess program = start(name, env, farRun(coordinator, secret, workload).toArray(String[]::new));
        awaitLine(program, Pattern.compile("(?m)^loaded"));
        TimeUnit.SECONDS.sleep(3);
        assertTrue(program.isAlive(), "the program runs before the fault: " + program.logs());
        return program;
    }

    /**
     * The longest run of one-second progress intervals in which no miss completed, between the first and the last
     * interval that had misses: how long the program stood still.
     */
    static int longestStallSeconds(final String stderr)
    {
        final Matcher matcher = Pattern.compile("splitheap-progress t=\\d+s .*misses_per_s=(\\d+)").matcher(stderr);
        final List<Long> misses = new ArrayList<>();
        while (matcher.find())
        {
            misses.add(Long.parseLong(matcher.group(1)));
        }
        int longest = 0;
        int run = 0;
        boolean started = false;
        for (final long perSecond : misses)
        {
            if (perSecond > 0)
            {
                longest = started ? Math.max(longest, run) : longest;
                started = true;
                run = 0;
            }
            else
            {
                run++;
            }
        }
        return longest;
    }

    ForkedProcess track(final ForkedProcess process)
    {
        processes.add(process);
        return process;
    }

    static void awaitLine(final ForkedProcess process, final Pattern pattern) throws Exception
    {
        awaitLine(process, pattern, false);
    }

    static void awaitLine(final ForkedProcess process, final Pattern pattern, final boolean inStderr)
        throws Exception
    {
        final long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline)
        {
            final String text = inStderr ? process.stderr() : process.stdout() + process.stderr();
            if (pattern.matcher(text).find())
            {
                return;
            }
            if (!process.isAlive())
            {
                throw new AssertionError("ended before printing " + pattern + ": " + process.logs());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("no " + pattern + " within " + READY_TIMEOUT_MS + " ms: " + process.logs());
    }

    JsonNode status(final String coordinator, final Path secret) throws Exception
    {
        final ForkedProcess status = start("status", "status", "--coordinator", coordinator, "--secret-file",
            secret.toString(), "--json");
        assertEquals(0, status.waitFor(1, TimeUnit.MINUTES), status.logs());
        return new ObjectMapper().readTree(status.stdout());
    }

    /**
     * {@code bin/splitheap run} of a workload against the cluster, with a 2 MiB ExCache.
     */
    static List<String> farRun(final String coordinator, final Path secret, final List<String> workload)
    {
        final List<String> farRun = new ArrayList<>(List.of("run", "--coordinator", coordinator, "--secret-file",
            secret.toString(), "--excache", "2m", "--", "-Xmx256m"));
        farRun.addAll(workload);
        return farRun;
    }

    /**
     * The checksum of the workload run on the heap, without the agent.
     */
    String heapChecksum(final String name, final String xmx, final List<String> workload) throws Exception
    {
        final List<String> heapRun = new ArrayList<>(List.of(ProjectPaths.java(), xmx,
            "-Dchronicle.analytics.disable=true"));
        heapRun.addAll(workload);
        final ForkedProcess heap = track(ForkedProcess.start(LOGS, name, heapRun, Map.of()));
        assertEquals(0, heap.waitFor(3, TimeUnit.MINUTES), heap.logs());
        return checksum(heap);
    }

    static String checksum(final ForkedProcess process) throws IOException
    {
        final Matcher matcher = Pattern.compile("RESULT .*checksum=([0-9a-f]+)").matcher(process.stdout());
        assertTrue(matcher.find(), "a RESULT line: " + process.logs());
        return matcher.group(1);
    }

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
