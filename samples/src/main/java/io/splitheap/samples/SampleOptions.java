package io.splitheap.samples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line of one sample: the common options, typed, and the sample's own options as text until
 * the sample asks for them with a type and a range.
 */
public final class SampleOptions
{
    /**
     * Bytes of primitive-array data the sample allocates in total.
     */
    public static final String WORKING_SET = "--working-set";

    /**
     * Worker threads.
     */
    public static final String THREADS = "--threads";

    /**
     * Seed of data generation and workload.
     */
    public static final String SEED = "--seed";

    /**
     * Default of {@link #WORKING_SET}: 64 MiB.
     */
    public static final long WORKING_SET_DEFAULT = 64L << 20;

    /**
     * Smallest accepted {@link #WORKING_SET}: 64 bytes, enough for a graph of a few vertices, a table of a few slots
     * or rows. Real runs use megabytes to gigabytes.
     */
    public static final long WORKING_SET_MIN = 64;

    /**
     * Largest accepted {@link #WORKING_SET}: 1 TiB.
     */
    public static final long WORKING_SET_MAX = 1L << 40;

    /**
     * Most accepted {@link #THREADS}.
     */
    public static final int THREADS_MAX = 1024;

    /**
     * The options every sample accepts.
     */
    public static final List<OptionSpec> COMMON = List.of(
        new OptionSpec(WORKING_SET, "SIZE", "bytes of array data to allocate: 123, 64k, 512m, 1g, 2G (default 64m)"),
        new OptionSpec(THREADS, "N", "worker threads (default 1)"),
        new OptionSpec(SEED, "S", "seed of data and workload, a long (default 42)"));

    private final String sample;
    private final Map<String, String> values;
    private final long workingSet;
    private final int threads;
    private final long seed;

    private SampleOptions(final String sample, final Map<String, String> values)
    {
        this.sample = sample;
        this.values = values;
        final String size = values.get(WORKING_SET);
        workingSet = null == size ? WORKING_SET_DEFAULT : Sizes.parse(WORKING_SET, size);
        if (workingSet < WORKING_SET_MIN || workingSet > WORKING_SET_MAX)
        {
            throw new UsageException("bad size for " + WORKING_SET + ": '" + size + "' (expected 64 to 1t)");
        }
        threads = intOption(THREADS, 1, 1, THREADS_MAX);
        seed = longOption(SEED, 42, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Parse the arguments that follow the sample's name: {@code --name value} or {@code --name=value}.
     *
     * @param sample the sample, which decides which options exist.
     * @param args   the arguments after the sample's name.
     * @return the options.
     * @throws UsageException naming the first unknown, repeated or malformed option.
     */
    public static SampleOptions parse(final Sample sample, final String[] args)
    {
        final Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!name.startsWith("--") || !isKnown(sample, name))
            {
                throw new UsageException(
                    (name.startsWith("--") ? "unknown option '" : "unexpected argument '") + arg +
                    "' for sample '" + sample.name() + "'");
            }
            final String value;
            if (equals >= 0)
            {
                value = arg.substring(equals + 1);
            }
            else if (i + 1 < args.length)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException("option " + name + " needs a value");
            }
            if (null != values.put(name, value))
            {
                throw new UsageException("option " + name + " given more than once");
            }
        }
        return new SampleOptions(sample.name(), values);
    }

    /**
     * {@link #WORKING_SET} in bytes.
     *
     * @return the working set.
     */
    public long workingSet()
    {
        return workingSet;
    }

    /**
     * {@link #THREADS}.
     *
     * @return at least one.
     */
    public int threads()
    {
        return threads;
    }

    /**
     * {@link #SEED}.
     *
     * @return the seed.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * An integer option of the sample.
     *
     * @param name         of the option.
     * @param defaultValue if not given.
     * @param min          smallest accepted value.
     * @param max          largest accepted value.
     * @return the value.
     * @throws UsageException naming the option if the value is not an integer in range.
     */
    public int intOption(final String name, final int defaultValue, final int min, final int max)
    {
        return (int)longOption(name, defaultValue, min, max);
    }

    /**
     * A long option of the sample.
     *
     * @param name         of the option.
     * @param defaultValue if not given.
     * @param min          smallest accepted value.
     * @param max          largest accepted value.
     * @return the value.
     * @throws UsageException naming the option if the value is not an integer in range.
     */
    public long longOption(final String name, final long defaultValue, final long min, final long max)
    {
        final String text = values.get(name);
        if (null == text)
        {
            return defaultValue;
        }
        try
        {
            final long value = Long.parseLong(text);
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below with the accepted range
        }
        throw new UsageException("bad value for " + name + ": '" + text + "' (expected an integer from " + min +
            " to " + max + ")");
    }

    /**
     * A size option of the sample ({@code 123}, {@code 64k}, {@code 512m}, {@code 1g}).
     *
     * @param name         of the option.
     * @param defaultValue if not given.
     * @param min          smallest accepted value.
     * @param max          largest accepted value.
     * @return the value in bytes.
     * @throws UsageException naming the option if the value is not a size in range.
     */
    public long sizeOption(final String name, final long defaultValue, final long min, final long max)
    {
        final String text = values.get(name);
        if (null == text)
        {
            return defaultValue;
        }
        final long value = Sizes.parse(name, text);
        if (value < min || value > max)
        {
            throw new UsageException("bad size for " + name + ": '" + text + "' (expected " + min + " to " + max +
                " bytes)");
        }
        return value;
    }

    /**
     * An option of the sample that takes one of a few words.
     *
     * @param name         of the option.
     * @param defaultValue if not given.
     * @param choices      accepted values.
     * @return the value.
     * @throws UsageException naming the option if the value is not one of the choices.
     */
    public String choiceOption(final String name, final String defaultValue, final String... choices)
    {
        final String text = values.get(name);
        if (null == text)
        {
            return defaultValue;
        }
        for (final String choice : choices)
        {
            if (choice.equals(text))
            {
                return text;
            }
        }
        throw new UsageException("bad value for " + name + ": '" + text + "' (expected one of " +
            String.join(", ", choices) + ")");
    }

    /**
     * One line restating the common options.
     *
     * @return e.g. {@code pagerank: working-set=1073741824 threads=2 seed=42}.
     */
    public String describe()
    {
        return sample + ": working-set=" + workingSet + " threads=" + threads + " seed=" + seed;
    }

    private static boolean isKnown(final Sample sample, final String name)
    {
        for (final OptionSpec spec : COMMON)
        {
            if (spec.name().equals(name))
            {
                return true;
            }
        }
        for (final OptionSpec spec : sample.options())
        {
            if (spec.name().equals(name))
            {
                return true;
            }
        }
        return false;
    }
}
