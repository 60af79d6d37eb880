package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.guardfixtures.app.GuardPrograms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.splitheap.agent.instrument.ArrayProgramsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far arrays that reach code outside the rewritten scope by paths other than a direct argument to the JDK: a
 * library walking objects by reflection, keeping an array, taking arrays out of a list; method references, reflective
 * calls and method handles into the JDK; a JDK interface method that returns an array. {@link GuardPrograms} runs
 * as written and with its package rewritten (every primitive array far, a 16-line ExCache) while the library's
 * package is guarded, and must give the same results. With the library left plain, some of them do not: that is the
 * silent loss guarding prevents.
 */
class GuardedOutsideTest
{
    private static final String FIXTURES = "io.splitheap.guardfixtures";
    private static final String[] PROGRAMS = {"reflectiveMapper", "directArgument", "keptArray", "objectsList",
        "methodReferences", "overriddenReturn", "reflectiveInvoke", "methodHandles", "unsafeAccess"};

    private static TestFarMemory farMemory;

    @BeforeAll
    static void start()
    {
        farMemory = new TestFarMemory(16 * 4096, "fifo");
    }

    /**
     * Fresh copies of the fixtures for each program: an allocation site whose array was moved to the heap allocates
     * locally from then on, so programs sharing loaded classes would test each other's heap arrays.
     */
    private static Class<?> load(final boolean guard) throws ClassNotFoundException
    {
        return new RewritingClassLoader(FIXTURES, new ScopePolicy(List.of(FIXTURES + ".app"), List.of(), guard))
            .loadClass(GuardPrograms.class.getName());
    }

    @AfterAll
    static void close()
    {
        farMemory.close();
    }

    static Stream<Arguments> programs()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final int n : new int[]{8, 1000, 20_000})
        {
            for (final String program : PROGRAMS)
            {
                cases.add(Arguments.of(program, n));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("programs")
    void shouldBehaveAsWithoutTheAgent(final String program, final int n) throws Exception
    {
        final String expected = run(GuardPrograms.class, program, new Object[]{n});
        assertTrue(expected.startsWith("returned "), expected);
        final long farArrays = farMemory.farMemory().farArrays();
        assertEquals(expected, run(load(true), program, new Object[]{n}));
        assertTrue(farMemory.farMemory().farArrays() > farArrays, "the program's arrays were far");
    }

    @Test
    void shouldLoseDataWhenTheLibraryIsLeftPlain() throws Exception
    {
        final Object[] args = {1000};
        assertNotEquals(run(GuardPrograms.class, "reflectiveMapper", args), run(load(false), "reflectiveMapper", args),
            "a plain library reading fields by reflection sees empty placeholders");
        assertNotEquals(run(GuardPrograms.class, "objectsList", args), run(load(false), "objectsList", args));
    }

    @Test
    void shouldLetGuardedCodeUseFarArraysInPlace() throws Exception
    {
        final long localizations = farMemory.cache().stats().localizations();
        final long farArrays = farMemory.farMemory().farArrays();
        final Class<?> guarded = load(true);
        assertEquals(run(GuardPrograms.class, "directArgument", new Object[]{50_000}),
            run(guarded, "directArgument", new Object[]{50_000}));
        assertEquals(run(GuardPrograms.class, "reflectiveMapper", new Object[]{50_000}),
            run(guarded, "reflectiveMapper", new Object[]{50_000}));
        assertTrue(farMemory.farMemory().farArrays() > farArrays, "the programs' arrays were far");
        assertEquals(localizations, farMemory.cache().stats().localizations(),
            "guarded code reads far arrays where they are, without moving them to the heap");
    }
}
