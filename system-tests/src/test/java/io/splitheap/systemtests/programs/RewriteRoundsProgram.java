package io.splitheap.systemtests.programs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program that rewrites all of its data again and again until told to stop, then checks every element: rounds of
 * {@code a[j] += round * 31 + i * 7 + j} over {@code arrays} arrays of {@code length} longs, until the file
 * {@code stopFile} exists (checked between rounds), so that each element must equal a closed form of the number of
 * rounds. With a small ExCache every round writes every line back, so a lost or stale write-back shows as a wrong
 * element, named. Prints {@code progress round=N array=I at=MILLIS} per array rewritten (wall clock, so that stalls
 * can be placed), {@code round=N ms=M} per round and {@code RESULT rounds=N wrong=K}; exits 2 if an element is wrong.
 * <p>
 * Usage: {@code RewriteRoundsProgram arrays length stopFile}.
 */
public final class RewriteRoundsProgram
{
    private static final long MAX_ROUNDS = 100_000;

    private RewriteRoundsProgram()
    {
    }

    /**
     * Runs the rounds.
     *
     * @param args arrays, length, stop file.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int arrays = Integer.parseInt(args[0]);
        final int length = Integer.parseInt(args[1]);
        final Path stop = Path.of(args[2]);
        final long[][] data = new long[arrays][];
        for (int i = 0; i < arrays; i++)
        {
            data[i] = new long[length];
        }
        System.out.println("allocated arrays=" + arrays + " bytes=" + (long)arrays * length * Long.BYTES);
        long rounds = 0;
        while (!Files.exists(stop) && rounds < MAX_ROUNDS)
        {
            final long startedNs = System.nanoTime();
            rounds++;
            for (int i = 0; i < arrays; i++)
            {
                rewrite(data[i], rounds * 31 + i * 7L);
                System.out.println("progress round=" + rounds + " array=" + i + " at=" + System.currentTimeMillis());
            }
            System.out.println("round=" + rounds + " ms=" + (System.nanoTime() - startedNs) / 1_000_000);
        }
        long wrong = 0;
        String first = "";
        for (int i = 0; i < arrays; i++)
        {
            final long[] array = data[i];
            for (int j = 0; j < length; j++)
            {
                final long expected = 31 * (rounds * (rounds + 1) / 2) + rounds * (i * 7L + j);
                if (array[j] != expected)
                {
                    if (wrong++ == 0)
                    {
                        first = " first=data[" + i + "][" + j + "] expected=" + expected + " was=" + array[j];
                    }
                }
            }
        }
        System.out.println("RESULT rounds=" + rounds + " wrong=" + wrong + first);
        System.exit(wrong == 0 ? 0 : 2);
    }

    private static void rewrite(final long[] array, final long add)
    {
        for (int j = 0; j < array.length; j++)
        {
            array[j] += add + j;
        }
    }
}
