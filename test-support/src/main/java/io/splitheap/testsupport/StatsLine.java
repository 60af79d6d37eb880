package io.splitheap.testsupport;

import io.splitheap.launcher.AgentStatsLine;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the agent's {@code splitheap-stats {...}} line (parsed with Jackson, {@link AgentStatsLine}) and the
 * samples' {@code RESULT ...} line from output.
 */
public final class StatsLine
{
    private static final Pattern RESULT = Pattern.compile(
        "^RESULT sample=(\\w+) checksum=([0-9a-f]{16}) seconds=([0-9.]+) ops=(\\d+)$", Pattern.MULTILINE);

    private final AgentStatsLine line;

    private StatsLine(final AgentStatsLine line)
    {
        this.line = line;
    }

    /**
     * Finds the stats line.
     *
     * @param output stderr of a program run with stats=true.
     * @return the parsed line.
     * @throws AssertionError if absent.
     */
    public static StatsLine in(final String output)
    {
        for (final String line : output.split("\n"))
        {
            if (AgentStatsLine.isStatsLine(line))
            {
                return new StatsLine(AgentStatsLine.parse(line.strip()));
            }
        }
        throw new AssertionError("no splitheap-stats line in:\n" + output);
    }

    /**
     * A numeric field.
     *
     * @param name field name.
     * @return its value.
     */
    public long number(final String name)
    {
        try
        {
            return line.number(name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new AssertionError(ex.getMessage(), ex);
        }
    }

    /**
     * Pages of the program held by each memory node at exit, in node order.
     *
     * @return page counts.
     */
    public List<Long> nodePages()
    {
        return line.memoryNodes().stream().map(AgentStatsLine.NodePages::pages).toList();
    }

    /**
     * How the program reached each memory node ({@code ipc} or {@code udp}), in node order.
     *
     * @return transports.
     */
    public List<String> transports()
    {
        return line.memoryNodes().stream().map(AgentStatsLine.NodePages::transport).toList();
    }

    /**
     * The raw JSON.
     *
     * @return text.
     */
    public String json()
    {
        return line.json();
    }

    /**
     * The checksum of a sample's RESULT line, which must be the last line of its stdout.
     *
     * @param stdout the sample's standard output.
     * @return the checksum.
     */
    public static String checksum(final String stdout)
    {
        final String trimmed = stdout.strip();
        final String last = trimmed.substring(trimmed.lastIndexOf('\n') + 1);
        final Matcher matcher = RESULT.matcher(last);
        if (!matcher.matches())
        {
            throw new AssertionError("the last line is not a RESULT line: " + last);
        }
        return matcher.group(2);
    }
}
