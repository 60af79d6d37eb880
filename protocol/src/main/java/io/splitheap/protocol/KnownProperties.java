package io.splitheap.protocol;

import java.util.Set;
import java.util.TreeSet;

/**
 * Every {@code splitheap.*} system property some part of Splitheap reads, so that a mistyped one is reported instead
 * of silently ignored. {@code KnownPropertiesIT} keeps this list in step with the sources.
 */
public final class KnownProperties
{
    /**
     * The names.
     */
    public static final Set<String> NAMES = Set.of(
        "splitheap.aeron.dir", "splitheap.aeron.dir.base", "splitheap.aeron.mtu", "splitheap.aeron.term.length",
        "splitheap.agent.jar", "splitheap.arena.size", "splitheap.auth.ipc.tags", "splitheap.bench.jar",
        "splitheap.bind", "splitheap.boundary.localize.max", "splitheap.coordinator", "splitheap.coordinator.data.dir",
        "splitheap.coordinator.endpoint",
        "splitheap.excache.policy", "splitheap.excache.size", "splitheap.exclude", "splitheap.far.classes",
        "splitheap.far.gc",
        "splitheap.far.max", "splitheap.heartbeat.interval", "splitheap.idle.max.park", "splitheap.idle.yields",
        "splitheap.include", "splitheap.jfr.eviction.burst", "splitheap.jfr.slow.miss", "splitheap.jfr.slow.miss.ns",
        "splitheap.line.max", "splitheap.line.size", "splitheap.memory.node.capacity", "splitheap.memory.node.dir",
        "splitheap.memory.node.compact.min",
        "splitheap.memory.node.endpoint", "splitheap.node.phi.threshold", "splitheap.node.timeout",
        "splitheap.node.timeout.max", "splitheap.outside", "splitheap.prefetch", "splitheap.process.timeout",
        "splitheap.progress", "splitheap.project.root", "splitheap.request.timeout", "splitheap.resync.rate",
        "splitheap.samples.jar",
        "splitheap.secret.file", "splitheap.stats", "splitheap.storage.node.capacity", "splitheap.storage.node.dir",
        "splitheap.storage.node.endpoint", "splitheap.threshold", "splitheap.verbose", "splitheap.vregion.size",
        "splitheap.writeback.buffer");

    private KnownProperties()
    {
    }

    /**
     * The {@code splitheap.*} system properties of this JVM that nothing reads.
     *
     * @return sorted names, empty when all are known.
     */
    public static Set<String> unknownSystemProperties()
    {
        final Set<String> unknown = new TreeSet<>();
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("splitheap.") && !NAMES.contains(name))
            {
                unknown.add(name);
            }
        }
        return unknown;
    }
}
