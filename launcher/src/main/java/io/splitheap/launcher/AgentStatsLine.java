package io.splitheap.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's {@code splitheap-stats {...}} line (written at exit with {@code stats=true}), parsed with Jackson:
 * what {@code run}, {@code demo}, the benchmarks and the tests read from it.
 */
public final class AgentStatsLine
{
    /**
     * The line's prefix, before the JSON object.
     */
    public static final String PREFIX = "splitheap-stats ";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String json;
    private final JsonNode root;

    private AgentStatsLine(final String json, final JsonNode root)
    {
        this.json = json;
        this.root = root;
    }

    /**
     * Pages of the program one memory node held at exit.
     *
     * @param id        node id.
     * @param pages     pages of the program.
     * @param transport how the agent reached the node.
     */
    public record NodePages(int id, long pages, String transport)
    {
    }

    /**
     * Whether a line of output is the stats line.
     *
     * @param line a line of stderr.
     * @return true if it starts with the prefix and an object.
     */
    public static boolean isStatsLine(final String line)
    {
        return line.startsWith(PREFIX + "{");
    }

    /**
     * Parses a line.
     *
     * @param line the whole line, prefix included.
     * @return the parsed line.
     * @throws IllegalArgumentException if it is not a stats line holding a JSON object.
     */
    public static AgentStatsLine parse(final String line)
    {
        if (!isStatsLine(line))
        {
            throw new IllegalArgumentException("not a " + PREFIX.strip() + " line: " + line);
        }
        return parseJson(line.substring(PREFIX.length()));
    }

    /**
     * Parses the JSON object of a line.
     *
     * @param json the object's text.
     * @return the parsed line.
     * @throws IllegalArgumentException if it is not a JSON object.
     */
    public static AgentStatsLine parseJson(final String json)
    {
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(json);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("the stats line is not JSON: " + ex.getOriginalMessage() + ": " + json,
                ex);
        }
        if (root == null || !root.isObject())
        {
            throw new IllegalArgumentException("the stats line is not a JSON object: " + json);
        }
        return new AgentStatsLine(json, root);
    }

    /**
     * A whole-number field.
     *
     * @param name field name.
     * @return its value.
     * @throws IllegalArgumentException if absent or not a whole number.
     */
    public long number(final String name)
    {
        final JsonNode value = root.get(name);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong())
        {
            throw new IllegalArgumentException("no whole-number field " + name + " in " + json);
        }
        return value.asLong();
    }

    /**
     * A numeric field (such as {@code hit_rate}).
     *
     * @param name field name.
     * @return its value.
     * @throws IllegalArgumentException if absent or not a number.
     */
    public double decimal(final String name)
    {
        final JsonNode value = root.get(name);
        if (value == null || !value.isNumber())
        {
            throw new IllegalArgumentException("no numeric field " + name + " in " + json);
        }
        return value.asDouble();
    }

    /**
     * Pages of the program held by each memory node at exit, in node order.
     *
     * @return one entry per node, none for a local run.
     */
    public List<NodePages> memoryNodes()
    {
        final List<NodePages> nodes = new ArrayList<>();
        for (final JsonNode node : root.path("memory_nodes"))
        {
            nodes.add(new NodePages(node.path("id").asInt(), node.path("pages").asLong(),
                node.path("transport").asText()));
        }
        return nodes;
    }

    /**
     * The JSON object as the agent wrote it.
     *
     * @return text.
     */
    public String json()
    {
        return json;
    }
}
