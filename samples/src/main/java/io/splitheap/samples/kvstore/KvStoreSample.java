package io.splitheap.samples.kvstore;

import io.splitheap.samples.OptionSpec;
import io.splitheap.samples.Sample;
import io.splitheap.samples.SampleOptions;
import io.splitheap.samples.SampleResult;
import io.splitheap.samples.support.Checksum;
import io.splitheap.samples.support.Footprint;

import java.io.PrintStream;
import java.util.List;

/**
 * A key-value store: an open-addressing hash table (see {@link LongLongTable}) loaded to 60% with the keys of a
 * {@link KeySpace}, then driven by a YCSB-like zipfian {@link Workload}. The measured phase is the workload; ops
 * counts reads plus updates.
 */
public final class KvStoreSample implements Sample
{
    /**
     * Number of key-value operations in the measured phase.
     */
    public static final String OPS = "--ops";

    /**
     * Read/update mix: {@code a} is 50/50, {@code b} is 95/5.
     */
    public static final String WORKLOAD = "--workload";

    /**
     * Default of {@link #OPS}.
     */
    public static final long OPS_DEFAULT = 2_000_000;

    /**
     * Share of the slots that are loaded, in percent.
     */
    public static final int LOAD_PERCENT = 60;

    private static final long SLOT_BYTES = 2L * Long.BYTES;

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return "kvstore";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String summary()
    {
        return "YCSB-like zipfian reads/updates on a linear-probing long->long hash table";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public List<OptionSpec> options()
    {
        return List.of(
            new OptionSpec(OPS, "N", "key-value operations to run, 0 to 10^12 (default 2000000)"),
            new OptionSpec(WORKLOAD, "a|b", "a: 50% reads, 50% updates; b: 95% reads, 5% updates (default a)"));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public SampleResult run(final SampleOptions options, final PrintStream out)
    {
        final long ops = options.longOption(OPS, OPS_DEFAULT, 0, 1_000_000_000_000L);
        final String workload = options.choiceOption(WORKLOAD, "a", "a", "b");
        final int readPercent = "a".equals(workload) ? 50 : 95;
        final int threads = options.threads();
        out.println(options.describe() + " ops=" + ops + " workload=" + workload);

        final long generateStart = System.nanoTime();
        final LongLongTable table = new LongLongTable(options.workingSet() / SLOT_BYTES);
        final KeySpace keys = new KeySpace(table.capacity() * LOAD_PERCENT / 100, options.seed());
        out.println(Footprint.describe(table.keys(), table.values()) + " slots=" + table.capacity());
        for (long item = 0; item < keys.items(); item++)
        {
            final long key = keys.keyOf(item);
            table.put(key, keys.initialValue(key));
        }
        final ZipfianGenerator zipfian = new ZipfianGenerator(keys.items(), ZipfianGenerator.DEFAULT_THETA);
        out.println("loaded keys=" + table.size() + " in " + SampleResult.seconds(System.nanoTime() - generateStart) +
            " s");

        final Workload mix = new Workload(table, keys, zipfian, readPercent, options.seed());
        final long start = System.nanoTime();
        mix.run(ops, threads);
        final long nanos = System.nanoTime() - start;

        out.println("ran reads=" + mix.reads() + " read-hits=" + mix.readHits() + " updates=" + mix.updates());
        final long hash = Checksum.of(threads, table.keys(), table.values());
        return new SampleResult(name(), Checksum.finish(hash), nanos, mix.reads() + mix.updates());
    }
}
