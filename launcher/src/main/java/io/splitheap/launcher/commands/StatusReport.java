package io.splitheap.launcher.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitheap.launcher.cluster.ClusterView;
import io.splitheap.launcher.cluster.NodeStatus;
import io.splitheap.protocol.Endpoint;

/**
 * Renders a {@link ClusterView}: a table for people, JSON (Jackson) for scripts.
 */
final class StatusReport
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusReport()
    {
    }

    static String json(final Endpoint coordinator, final ClusterView view)
    {
        final ObjectNode root = MAPPER.createObjectNode()
            .put("coordinator", coordinator.toString())
            .put("auth_failures", view.authFailures())
            .put("malformed_messages", view.malformedMessages())
            .put("process_count", view.processCount())
            .put("region_count", view.regionCount());
        final ArrayNode nodes = root.putArray("nodes");
        for (final NodeStatus node : view.nodes())
        {
            nodes.addObject()
                .put("id", node.nodeId())
                .put("kind", node.kind().name())
                .put("alive", node.alive())
                .put("connected", node.connected())
                .put("endpoint", node.endpoint())
                .put("heartbeat_age_ms", node.heartbeatAgeMs())
                .put("requests_per_s", node.requestsPerSecond())
                .put("capacity_bytes", node.capacityBytes())
                .put("mapped_bytes", node.mappedBytes())
                .put("pages", node.usedPages())
                .put("peak_pages", node.peakPages())
                .put("auth_failures", node.authFailures())
                .put("malformed_messages", node.malformedMessages());
        }
        final ArrayNode processes = root.putArray("processes");
        for (final ClusterView.ProcessStatus process : view.processes())
        {
            processes.addObject()
                .put("pid", process.pid())
                .put("host", process.hostName())
                .put("host_pid", process.hostPid())
                .put("live_bytes", process.liveBytes())
                .put("reserved_bytes", process.reservedBytes())
                .put("heartbeat_age_ms", process.heartbeatAgeMs());
        }
        final ArrayNode regions = root.putArray("regions");
        for (final ClusterView.RegionStatus region : view.regions())
        {
            regions.addObject()
                .put("pid", region.pid())
                .put("vregion", region.vRegion())
                .put("epoch", region.epoch())
                .put("primary", region.primaryNodeId())
                .put("secondary", region.secondaryNodeId())
                .put("secondary_state", region.secondaryState().name());
        }
        return root.toString();
    }

    static String table(final Endpoint coordinator, final ClusterView view)
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("coordinator %s  processes %d  vRegions %d  auth failures %d  malformed %d%n",
            coordinator, view.processCount(), view.regionCount(), view.authFailures(), view.malformedMessages()));
        text.append(String.format("%-5s %-8s %-6s %-10s %-8s %-9s %-9s %-10s %-10s %-9s %-9s %s%n", "NODE", "KIND",
            "ALIVE", "HEARTBEAT", "REQ/S", "CAPACITY", "MAPPED", "PAGES", "PEAK", "AUTHFAIL", "MALFORMED", "ENDPOINT"));
        for (final NodeStatus node : view.nodes())
        {
            text.append(String.format("%-5d %-8s %-6s %-10s %-8d %-9s %-9s %-10d %-10d %-9d %-9d %s%n", node.nodeId(),
                node.kind(), node.alive() ? "yes" : "no", node.heartbeatAgeMs() + "ms", node.requestsPerSecond(),
                size(node.capacityBytes()),
                size(node.mappedBytes()), node.usedPages(), node.peakPages(), node.authFailures(),
                node.malformedMessages(), node.endpoint()));
        }
        text.append(String.format("%-6s %-24s %-9s %-9s %-9s %s%n", "PID", "HOST", "HOST-PID", "LIVE", "RESERVED",
            "HEARTBEAT"));
        for (final ClusterView.ProcessStatus process : view.processes())
        {
            text.append(String.format("%-6d %-24s %-9d %-9s %-9s %s%n", process.pid(), process.hostName(),
                process.hostPid(), size(process.liveBytes()), size(process.reservedBytes()),
                process.heartbeatAgeMs() + "ms"));
        }
        text.append(String.format("%-6s %-10s %-6s %-8s %-10s %s%n", "PID", "VREGION", "EPOCH", "PRIMARY", "SECONDARY",
            "COPY"));
        for (final ClusterView.RegionStatus region : view.regions())
        {
            text.append(String.format("%-6d %-10d %-6d %-8d %-10d %s%n", region.pid(), region.vRegion(),
                region.epoch(), region.primaryNodeId(), region.secondaryNodeId(),
                region.secondaryState().name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (view.regions().size() < view.regionCount() || view.processes().size() < view.processCount())
        {
            text.append("(lists truncated: ").append(view.processes().size()).append(" of ")
                .append(view.processCount()).append(" processes, ").append(view.regions().size()).append(" of ")
                .append(view.regionCount()).append(" vRegions)\n");
        }
        return text.toString().stripTrailing();
    }

    private static String size(final long bytes)
    {
        if (bytes >= 1L << 30)
        {
            return String.format("%.1fg", bytes / (double)(1L << 30));
        }
        if (bytes >= 1L << 20)
        {
            return String.format("%.1fm", bytes / (double)(1L << 20));
        }
        return bytes >= 1024 ? String.format("%.1fk", bytes / 1024.0) : Long.toString(bytes);
    }
}
