package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.ClusterView;
import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.memorynode.MemoryNode;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.security.ClusterSecret;
import io.splitheap.systemtests.programs.RewriteRoundsProgram;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import org.agrona.ErrorHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-replication in the default build: a program rewrites 24 MiB of far data round after round on an embedded
 * cluster of three memory nodes (4 MiB vRegions, a 2 MiB ExCache, so every round writes every line back). One node
 * is stopped; its vRegions fail over, and each vRegion that lost a copy gets a new secondary, filled by its primary
 * while the program goes on writing. Once every vRegion has a full copy again, the node that had just become primary
 * (a promoted secondary) is stopped too: the last node has a full copy of everything, and the program checks every
 * element of its data against the closed form of its rounds. With re-replication off the same sequence loses the
 * vRegions whose only copy was on the second node (the test says so rather than pass). And a program that starts on
 * one node gets a secondary for every vRegion when a second node joins, while it writes; the figures (how long the
 * copies took, the longest the program stood still meanwhile) are printed as a {@code REPLICATION} line.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReplicationIT
{
    private static final long WAIT_MS = 90_000;

    private final List<Event> log = new CopyOnWriteArrayList<>();
    private final ErrorHandler printing = new ErrorLog("cluster", System.err);
    private final ErrorHandler errors = error ->
    {
        // what the cluster logs, with the time it happened, to place the program's stalls
        log.add(new Event(System.currentTimeMillis(), String.valueOf(error.getMessage())));
        printing.onError(error);
    };

    @Test
    void shouldRebuildSecondariesWhileTheProgramWritesAndSurviveTheLossOfTheNewPrimary() throws Exception
    {
        final Path stop = stopFile();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(new EmbeddedCluster.Context()
            .memoryNodes(3).memoryNodeCapacity(256L << 20).vRegionShift(22).errorHandler(errors)))
        {
            final ForkedProcess program = start(cluster, stop);
            awaitRound(program, 2);
            final ClusterView before = cluster.view();
            final MemoryNode first = cluster.memoryNodes().get(0);
            final int firstId = first.nodeId();
            assertTrue(before.regions().stream().anyMatch(r -> r.primaryNodeId() == firstId) &&
                before.regions().stream().anyMatch(r -> r.secondaryNodeId() == firstId),
                "the first node is the primary of some vRegions and the secondary of others: " + before.regions());
            final long firstStoppedMs = System.currentTimeMillis();
            first.close();

            // every vRegion back to two full copies on the two nodes left, while the program goes on
            final ClusterView rebuilt = await(cluster, program, view -> view.regions().stream().allMatch(r ->
                r.primaryNodeId() != firstId && r.secondaryNodeId() != firstId && r.secondaryNodeId() != 0 &&
                r.secondaryState() == SecondaryState.SYNCED));
            final long rebuiltMs = System.currentTimeMillis();
            assertTrue(program.isAlive(), "the program still runs: " + program.logs());
            for (final ClusterView.RegionStatus region : rebuilt.regions())
            {
                final ClusterView.RegionStatus old = before.regions().stream()
                    .filter(r -> r.vRegion() == region.vRegion()).findFirst().orElseThrow();
                if (old.primaryNodeId() == firstId || old.secondaryNodeId() == firstId)
                {
                    assertTrue(region.epoch() >= old.epoch() + 1, "a new epoch for a vRegion that moved: " + old +
                        " -> " + region);
                }
            }
            final List<String> copies = log.stream().map(Event::text).filter(l -> l.contains(" re-replicated from "))
                .toList();
            assertFalse(copies.isEmpty(), "the coordinator logged the copies: " + log);
            final long copyStartMs = log.stream().filter(e -> e.text().contains(" is copied from node="))
                .mapToLong(Event::ms).min().orElseThrow();
            final long copyEndMs = log.stream().filter(e -> e.text().contains(" re-replicated from node="))
                .mapToLong(Event::ms).max().orElseThrow();

            // the node that took over a vRegion of the first one: every vRegion must have a full copy elsewhere
            final int promoted = before.regions().stream().filter(r -> r.primaryNodeId() == firstId)
                .map(r -> rebuilt.regions().stream().filter(n -> n.vRegion() == r.vRegion()).findFirst()
                .orElseThrow().primaryNodeId()).findFirst().orElseThrow();
            final MemoryNode second = cluster.memoryNodes().stream().filter(n -> n != first && n.nodeId() == promoted)
                .findFirst().orElseThrow();
            // the program goes on normally before the second death (a round completes): a write-back stuck on a dead
            // node holds the agent's housekeeper for the request timeout, and its routing pushes with it, so two
            // deaths seconds apart would stall the program past its frame wait (an agent limit, RELIABILITY.md)
            awaitRound(program, lastRound(program) + 1);
            final int roundAtSecondStop = lastRound(program);
            final long secondStoppedMs = System.currentTimeMillis();
            second.close();
            final ClusterView alone = await(cluster, program, view -> view.regions().stream().allMatch(r ->
                r.primaryNodeId() != promoted && r.primaryNodeId() != firstId && r.secondaryNodeId() == 0));
            awaitRound(program, lastRound(program) + 2);
            Files.createFile(stop);

            assertEquals(0, program.waitFor(3, TimeUnit.MINUTES), "the program completes: " + program.logs());
            final Matcher result = Pattern.compile("RESULT rounds=(\\d+) wrong=0").matcher(program.stdout());
            assertTrue(result.find(), "every element is right: " + program.stdout());
            assertTrue(alone.regions().stream().noneMatch(r -> r.secondaryState() != SecondaryState.NONE),
                "one node left: no secondaries: " + alone.regions());
            final List<Long> progress = progressTimes(program);
            System.out.println("REPLICATION workload=rewrite-rounds-24MiB nodes=3 vregion=4MiB result=all-correct" +
                " rounds=" + result.group(1) + " rebuilt_after_stop_ms<=" + (rebuiltMs - firstStoppedMs) +
                " copying_ms=" + (copyEndMs - copyStartMs) + " second_stop_at_round=" + roundAtSecondStop +
                " copies=" + copies.size() + " array_rewrite_ms_median_before=" +
                medianGap(progress, firstStoppedMs) + " longest_gap_ms_over_failover=" +
                longestGap(progress, firstStoppedMs, copyStartMs) + " longest_gap_ms_while_copying=" +
                longestGap(progress, copyStartMs, copyEndMs) + " longest_gap_ms_over_second_failover=" +
                longestGap(progress, secondStoppedMs, Long.MAX_VALUE) + "\n  " + String.join("\n  ", copies));
        }
    }

    @Test
    void shouldCopyEveryVRegionToANodeThatJoinsWhileTheProgramRuns() throws Exception
    {
        final Path stop = stopFile();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(new EmbeddedCluster.Context()
            .memoryNodes(1).memoryNodeCapacity(256L << 20).vRegionShift(22).errorHandler(errors)))
        {
            final ForkedProcess program = start(cluster, stop);
            awaitRound(program, 2);
            assertTrue(cluster.view().regions().stream().allMatch(r -> r.secondaryNodeId() == 0 &&
                r.secondaryState() == SecondaryState.NONE), "one node: one copy: " + cluster.view().regions());

            final long joinedMs = System.currentTimeMillis();
            try (MemoryNode joined = MemoryNode.launch(new MemoryNode.Context()
                .aeron(cluster.aeron())
                .coordinator(cluster.coordinatorEndpoint())
                .bind(new Endpoint("127.0.0.1", 0))
                .capacityBytes(256L << 20)
                .dataDir(new File(cluster.dataDir(), "joined"))
                .secret(ClusterSecret.load(cluster.secretFile()))
                .errorHandler(errors)))
            {
                final ClusterView copied = await(cluster, program, view -> view.regions().stream().allMatch(r ->
                    r.secondaryNodeId() == joined.nodeId() && r.secondaryState() == SecondaryState.SYNCED));
                final long copiedMs = System.currentTimeMillis();
                final long copyStartMs = log.stream().filter(e -> e.text().contains(" is copied from node="))
                    .mapToLong(Event::ms).min().orElseThrow();
                awaitRound(program, lastRound(program) + 1);

                // the first node goes: the joined one has every page
                final MemoryNode first = cluster.memoryNodes().get(0);
                first.close();
                await(cluster, program, view -> view.regions().stream().allMatch(r ->
                    r.primaryNodeId() == joined.nodeId()));
                awaitRound(program, lastRound(program) + 1);
                Files.createFile(stop);
                assertEquals(0, program.waitFor(3, TimeUnit.MINUTES), "the program completes: " + program.logs());
                final Matcher result = Pattern.compile("RESULT rounds=(\\d+) wrong=0").matcher(program.stdout());
                assertTrue(result.find(), "every element is right: " + program.stdout());

                final List<Long> progress = progressTimes(program);
                final List<String> copies = log.stream().map(Event::text)
                    .filter(l -> l.contains(" re-replicated from ")).toList();
                System.out.println("REPLICATION-JOIN workload=rewrite-rounds-24MiB vregion=4MiB result=all-correct" +
                    " rounds=" + result.group(1) + " vregions=" + copied.regions().size() + " synced_after_join_ms=" +
                    (copiedMs - joinedMs) + " copying_ms<=" + (copiedMs - copyStartMs) +
                    " array_rewrite_ms_median_before=" + medianGap(progress, joinedMs) +
                    " longest_gap_ms_before=" + longestGap(progress, 0, joinedMs - 1) +
                    " longest_gap_ms_while_copying=" + longestGap(progress, copyStartMs, copiedMs) +
                    "\n  " + String.join("\n  ", copies));
            }
        }
    }

    private static Path stopFile()
    {
        final File logs = new File(FarRuns.LOGS, "replication");
        logs.mkdirs();
        return new File(logs, "stop-" + System.nanoTime()).toPath();
    }

    private static ForkedProcess start(final EmbeddedCluster cluster, final Path stop) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProjectPaths.java());
        command.add("-Xmx128m");
        command.add("-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=" + cluster.agentOptions() +
            ",excache=2m,stats=true,include=" + RewriteRoundsProgram.class.getPackageName());
        command.add("-cp");
        command.add(new File("target/test-classes").getAbsolutePath());
        command.add(RewriteRoundsProgram.class.getName());
        command.add("24");
        command.add(String.valueOf((1 << 20) / Long.BYTES));
        command.add(stop.toString());
        return ForkedProcess.start(FarRuns.LOGS, "replication-rounds-" + stop.getFileName(), command, Map.of());
    }

    private static ClusterView await(
        final EmbeddedCluster cluster, final ForkedProcess program, final Predicate<ClusterView> condition)
        throws Exception
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        ClusterView view = cluster.view();
        while (!condition.test(view) || view.regions().isEmpty())
        {
            assertTrue(program.isAlive(), "the program ended too early: " + program.logs());
            assertTrue(System.currentTimeMillis() < deadline, "no such cluster within " + WAIT_MS + "ms: " +
                view.regions() + " " + view.nodes());
            TimeUnit.MILLISECONDS.sleep(200);
            view = cluster.view();
        }
        return view;
    }

    private static void awaitRound(final ForkedProcess program, final int round) throws Exception
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        while (lastRound(program) < round)
        {
            assertTrue(program.isAlive() && System.currentTimeMillis() < deadline,
                "the program reaches round " + round + ": " + program.logs());
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static int lastRound(final ForkedProcess program) throws Exception
    {
        final Matcher matcher = Pattern.compile("(?m)^round=(\\d+)").matcher(program.stdout());
        int round = 0;
        while (matcher.find())
        {
            round = Integer.parseInt(matcher.group(1));
        }
        return round;
    }

    private static List<Long> progressTimes(final ForkedProcess program) throws Exception
    {
        final Matcher matcher = Pattern.compile("progress round=\\d+ array=\\d+ at=(\\d+)").matcher(program.stdout());
        final List<Long> times = new ArrayList<>();
        while (matcher.find())
        {
            times.add(Long.parseLong(matcher.group(1)));
        }
        return times;
    }

    /**
     * The longest time between two arrays rewritten, of the gaps that overlap {@code [fromMs, toMs]}: how long the
     * program stood still then.
     */
    private static long longestGap(final List<Long> times, final long fromMs, final long toMs)
    {
        long longest = 0;
        for (int i = 1; i < times.size(); i++)
        {
            if (times.get(i) >= fromMs && times.get(i - 1) <= toMs)
            {
                longest = Math.max(longest, times.get(i) - times.get(i - 1));
            }
        }
        return longest;
    }

    private static long medianGap(final List<Long> times, final long beforeMs)
    {
        final List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size() && times.get(i) < beforeMs; i++)
        {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps.isEmpty() ? -1 : gaps.stream().sorted().toList().get(gaps.size() / 2);
    }

    private record Event(long ms, String text)
    {
    }
}
