package io.splitheap.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the agent's {@code splitheap-stats {...}} line and the samples' {@code RESULT ...} line from output.
 */
public final class StatsLine
{
    private static final Pattern RESULT = Pattern.compile(
        "^RESULT sample=(\\w+) checksum=([0-9a-f]{16}) seconds=([0-9.]+) ops=(\\d+)$", Pattern.MULTILINE);
    private static final Pattern NODE = Pattern.compile("\\{\"id\":(\\d+),\"pages\":(\\d+)");

    private final String json;

    private StatsLine(final String json)
    {
        this.json = json;
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
            if (line.startsWith("splitheap-stats {"))
            {
                return new StatsLine(line.substring("splitheap-stats ".length()));
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
        final Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!matcher.find())
        {
            throw new AssertionError("no field " + name + " in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }

    /**
     * Pages of the program held by each memory node at exit, in node order.
     *
     * @return page counts.
     */
    public List<Long> nodePages()
    {
        final List<Long> pages = new ArrayList<>();
        final Matcher matcher = NODE.matcher(json);
        while (matcher.find())
        {
            pages.add(Long.parseLong(matcher.group(2)));
        }
        return pages;
    }

    /**
     * The raw JSON.
     *
     * @return text.
     */
    public String json()
    {
        return json;
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
