package io.splitheap.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a sample in-process through {@link Main#run(String[], PrintStream, PrintStream)} and checks its output.
 * Shared by the samples' tests.
 */
public final class SampleRun
{
    /**
     * Format of the last line.
     */
    public static final Pattern RESULT = Pattern.compile(
        "RESULT sample=([a-z]+) checksum=([0-9a-f]{16}) seconds=([0-9]+\\.[0-9]+) ops=([0-9]+)");

    private static final Pattern ALLOCATED = Pattern.compile("allocated bytes=([0-9]+) ");

    private final int status;
    private final List<String> out;
    private final String err;

    private SampleRun(final int status, final String out, final String err)
    {
        this.status = status;
        this.out = out.lines().toList();
        this.err = err;
    }

    /**
     * Run the command line.
     *
     * @param args as given to {@code java -jar samples.jar}.
     * @return what happened.
     */
    public static SampleRun run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            status = Main.run(args, outStream, errStream);
        }
        return new SampleRun(
            status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Run a sample that must succeed, check that its output ends with exactly one well-formed RESULT line for it.
     *
     * @param args as given to {@code java -jar samples.jar}.
     * @return the checksum.
     */
    public static String checksumOf(final String... args)
    {
        final SampleRun run = run(args);
        assertEquals(0, run.status(), run.err());
        final String last = run.out().get(run.out().size() - 1);
        final Matcher matcher = RESULT.matcher(last);
        assertTrue(matcher.matches(), last);
        assertEquals(args[0], matcher.group(1));
        assertEquals(1, run.out().stream().filter((final String line) -> line.startsWith("RESULT")).count());
        return matcher.group(2);
    }

    /**
     * Exit status.
     *
     * @return 0 or {@link Main#USAGE_STATUS}.
     */
    public int status()
    {
        return status;
    }

    /**
     * Lines written to stdout.
     *
     * @return the lines.
     */
    public List<String> out()
    {
        return out;
    }

    /**
     * Text written to stderr.
     *
     * @return the text.
     */
    public String err()
    {
        return err;
    }

    /**
     * Ops reported on the RESULT line.
     *
     * @return the count.
     */
    public long ops()
    {
        final Matcher matcher = RESULT.matcher(out.get(out.size() - 1));
        assertTrue(matcher.matches());
        return Long.parseLong(matcher.group(4));
    }

    /**
     * Bytes reported on the progress line that starts {@code allocated bytes=}.
     *
     * @return the count.
     */
    public long allocatedBytes()
    {
        for (final String line : out)
        {
            final Matcher matcher = ALLOCATED.matcher(line);
            if (matcher.lookingAt())
            {
                return Long.parseLong(matcher.group(1));
            }
        }
        throw new AssertionError("no allocated line in " + out);
    }

    /**
     * The common checks of a sample: one RESULT line last, the same checksum on every run and for 1, 2 and 3
     * threads, a different one for another seed, and an allocation within 5% of the working set.
     *
     * @param sample     name of the sample.
     * @param workingSet size option value, e.g. {@code 4m}.
     * @param extra      sample options to add to every run.
     */
    public static void assertDeterministic(final String sample, final String workingSet, final String... extra)
    {
        final String first = checksumOf(args(sample, workingSet, "1", "42", extra));
        assertEquals(first, checksumOf(args(sample, workingSet, "1", "42", extra)));
        assertEquals(first, checksumOf(args(sample, workingSet, "2", "42", extra)));
        assertEquals(first, checksumOf(args(sample, workingSet, "3", "42", extra)));
        final String otherSeed = checksumOf(args(sample, workingSet, "2", "7", extra));
        assertTrue(!first.equals(otherSeed), "seed 7 gave the same checksum as seed 42: " + first);

        final long bytes = run(args(sample, workingSet, "2", "42", extra)).allocatedBytes();
        final long wanted = Sizes.parse("--working-set", workingSet);
        assertTrue(Math.abs(bytes - wanted) <= wanted / 20, "allocated " + bytes + " for " + wanted);
    }

    private static String[] args(
        final String sample, final String workingSet, final String threads, final String seed, final String... extra)
    {
        final String[] common = {
            sample, "--working-set", workingSet, "--threads", threads, "--seed", seed };
        final String[] all = new String[common.length + extra.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(extra, 0, all, common.length, extra.length);
        return all;
    }
}
