package io.splitheap.coordinator.internal;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.transport.Replier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failover's handover to a survivor that does not acknowledge its promotion: a WARN naming the vRegion, the
 * process and the node, a bounded number of attempts, then the vRegion declared lost; never a silent drop. Time is
 * the test's: steps are acknowledged, refused or timed out by hand.
 */
class PromotionsTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final ClusterRegistry registry = new ClusterRegistry(20, MemberNode::isAlive);
    private final List<String> warnings = new ArrayList<>();
    private final PendingOperations pending = new PendingOperations(new Replier(0), TIMEOUT_NS,
        error -> warnings.add(error.getMessage()));
    private final List<long[]> steps = new ArrayList<>();
    private final List<List<RegionRecord>> pushes = new ArrayList<>();
    private long nextStep = 100;
    private final Promotions promotions = new Promotions(registry,
        (operation, node, pid, region) ->
        {
            pending.step(operation, nextStep, node.id());
            steps.add(new long[]{nextStep++, node.id(), region.vRegion()});
        },
        pending, (process, regions) -> pushes.add(regions), error -> warnings.add(error.getMessage()));

    private final MemberNode first = node();
    private final MemberNode second = node();
    private final ProcessRecord process = registry.registerProcess(1, "host", pid -> pid * 7L, 0);

    private MemberNode node()
    {
        return registry.registerNode(NodeKind.MEMORY, 0, new Endpoint("127.0.0.1", 1000 + registry.nodes().size()),
            64L << 20, 0);
    }

    private RegionRecord promoted(final long vRegion, final MemberNode to)
    {
        final RegionRecord region = new RegionRecord(vRegion, to.id(), 0, 2);
        process.addRegion(region);
        return region;
    }

    @Test
    void shouldPushTheRoutesOnceTheSurvivorAcknowledges()
    {
        final RegionRecord region = promoted(3, second);
        promotions.start(process, List.of(region), 0);
        assertEquals(1, steps.size(), "the survivor is told its role");
        assertTrue(pushes.isEmpty(), "no route before the acknowledgement");
        pending.onAck(steps.get(0)[0]);
        assertEquals(List.of(List.of(region)), pushes);
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldWarnAndAskAgainWhenTheSurvivorDoesNotAnswer()
    {
        final RegionRecord region = promoted(3, second);
        promotions.start(process, List.of(region), 0);
        long now = TIMEOUT_NS + 1;
        pending.checkTimeouts(now);
        assertEquals(1, warnings.size(), "the unanswered promotion is reported: " + warnings);
        final String warning = warnings.get(0);
        assertTrue(warning.contains("vRegion=3 of pid=" + process.pid()) &&
            warning.contains("to node=" + second.id()) && warning.contains("attempt 1 of 3") &&
            warning.contains("no answer within"), warning);
        assertTrue(pushes.isEmpty());

        now = retryAfterDelay(now);
        assertEquals(2, steps.size(), "asked again after the delay");
        assertEquals(second.id(), steps.get(1)[1]);
        pending.onAck(steps.get(1)[0]);
        assertEquals(List.of(List.of(region)), pushes, "the routes go out once it answers");
        assertEquals(0, promotions.lost());
        assertEquals(0, promotions.waiting());
    }

    @Test
    void shouldDeclareTheVRegionLostWithinABoundedTimeWhenTheSurvivorNeverAnswers()
    {
        final RegionRecord region = promoted(5, second);
        promotions.start(process, List.of(region), 0);
        long now = 0;
        for (int attempt = 1; attempt <= Promotions.MAX_ATTEMPTS; attempt++)
        {
            now += TIMEOUT_NS + 1;
            pending.checkTimeouts(now);
            if (attempt < Promotions.MAX_ATTEMPTS)
            {
                now = retryAfterDelay(now);
            }
        }
        assertEquals(Promotions.MAX_ATTEMPTS, steps.size(), "asked " + Promotions.MAX_ATTEMPTS + " times");
        assertEquals(1, promotions.lost(), "then declared lost");
        final String last = warnings.get(warnings.size() - 1);
        assertTrue(last.contains("vRegion=5") && last.contains("node=" + second.id()) && last.contains("declared lost"),
            last);
        assertTrue(pushes.isEmpty(), "no route to a node that never took the vRegion");

        promotions.retryDue(now + TimeUnit.MINUTES.toNanos(1));
        promotions.retryDue(now + TimeUnit.MINUTES.toNanos(2));
        assertEquals(Promotions.MAX_ATTEMPTS, steps.size(), "nothing more after that");
    }

    @Test
    void shouldAskAgainAfterARefusalAndNotAskANodeThatDiedMeanwhile()
    {
        final RegionRecord region = promoted(7, second);
        promotions.start(process, List.of(region), 0);
        pending.onError(steps.get(0)[0], ErrorCode.INTERNAL, 0, "page map not open");
        assertTrue(warnings.get(0).contains("page map not open") && warnings.get(0).contains("asking again"),
            warnings.toString());
        second.alive(false);
        retryAfterDelay(1);
        assertEquals(1, steps.size(), "a dead node is not asked again");
        assertTrue(warnings.get(1).contains("not asked again") && warnings.get(1).contains("dead"),
            warnings.toString());
    }

    @Test
    void shouldPushTheRoutesOfOneSurvivorWhileAnotherDoesNotAnswer()
    {
        final RegionRecord onFirst = promoted(1, first);
        final RegionRecord onSecond = promoted(2, second);
        promotions.start(process, List.of(onFirst, onSecond), 0);
        assertEquals(2, steps.size());
        final long[] toFirst = steps.get(0)[1] == first.id() ? steps.get(0) : steps.get(1);
        pending.onAck(toFirst[0]);
        assertEquals(List.of(List.of(onFirst)), pushes, "the survivor that answered gets its routes pushed");
        pending.checkTimeouts(TIMEOUT_NS + 1);
        assertTrue(warnings.size() == 1 && warnings.get(0).contains("vRegion=2 ") &&
            warnings.get(0).contains("node=" + second.id()), warnings.toString());
    }

    @Test
    void shouldWarnWhenAnOperationWithoutClientOrHandlerFails()
    {
        final PendingOperation release = new PendingOperation(null, 0, 0, done ->
        {
        });
        pending.begin(release);
        pending.stepNotSent(release, first.id(), "memory node " + first.id() + " is not connected");
        pending.seal(release);
        assertEquals(1, warnings.size(), "a failure nobody waits for is not dropped silently");
        assertTrue(warnings.get(0).contains("node=" + first.id()) && warnings.get(0).contains("not connected"),
            warnings.get(0));
    }

    /**
     * Lets the retry delay pass as the coordinator's checks would: one check schedules, a later one sends.
     */
    private long retryAfterDelay(final long failedAtNs)
    {
        promotions.retryDue(failedAtNs + 1);
        final long dueNs = failedAtNs + 1 + Promotions.RETRY_DELAY_NS;
        promotions.retryDue(dueNs);
        return dueNs;
    }
}
