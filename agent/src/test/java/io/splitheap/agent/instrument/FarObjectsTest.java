package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.core.FarBoundaryError;
import io.splitheap.agent.excache.ExCacheProbe;
import io.splitheap.agent.runtime.FarArrays;
import io.splitheap.agent.runtime.FarObjects;
import io.splitheap.objectfixtures.ObjectPrograms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far object fields ({@code far.classes=}): the programs of {@link ObjectPrograms} run rewritten, with the named
 * classes' fields in far memory (an ExCache of 16 lines, so that the larger runs evict and write back), give what they
 * give without the agent; the moved fields are gone from the heap layout and their blocks are far; classes that
 * cannot move keep their fields.
 */
class FarObjectsTest
{
    private static final String FIXTURES = "io.splitheap.objectfixtures";
    private static TestFarMemory farMemory;
    private static ClassLoader loader;

    @BeforeAll
    static void rewrite()
    {
        farMemory = new TestFarMemory(16 * 4096, "fifo");
        final FarClassSelection selection = new FarClassSelection(List.of(FIXTURES + ".Particle",
            FIXTURES + ".Far*", FIXTURES + ".SerialFar", "*CloneFar"), true);
        loader = new RewritingClassLoader(FIXTURES, new ScopePolicy(List.of(FIXTURES), List.of(), true, selection));
    }

    @AfterAll
    static void close()
    {
        farMemory.close();
    }

    @Test
    void shouldKeepEveryTypeAcrossClassesInnerClassesAndLambdas() throws Exception
    {
        final long objects = FarObjects.objects();
        assertSame("everyType");
        assertEquals(2, FarObjects.objects() - objects, "one block per object, also through this(...)");
    }

    @Test
    void shouldKeepManyObjectsThroughEvictions() throws Exception
    {
        final long evictions = farMemory.cache().stats().evictions();
        assertSame("many", 20_000);
        assertTrue(farMemory.cache().stats().evictions() - evictions > 100, "blocks were evicted and read back");
    }

    @Test
    void shouldPinTheBlockOfThisInItsOwnMethodsAndReleaseItOnEveryExit() throws Exception
    {
        final String method = pinningMethods("Particle");
        assertTrue(method.contains("move") && method.contains("divideCount") && method.contains("describe"), method);
        assertFalse(method.contains("<init>"), "constructors do not pin: " + method);
        assertFalse(method.contains("weigh"), "a method with a loop over an array does not pin: " + method);
        assertSame("exceptionsInPinnedMethods");
        assertSame("many", 5_000);
        assertEquals(0, ExCacheProbe.pinnedFrames(farMemory.cache()), "no pin is left behind");
    }

    @Test
    void shouldGiveFarMemoryBackAsFarObjectsDie() throws Exception
    {
        final long arenaBytes = FarObjects.ARENA_SLOTS * (long)Long.BYTES;
        final long objects = FarObjects.objects();
        final long bytes = FarObjects.bytes();
        assertSame("churn", 200_000, 1_000);
        assertEquals(200_000, FarObjects.objects() - objects, "one block per object of the rewritten run");
        assertTrue(FarObjects.bytes() - bytes > 50 * arenaBytes, "blocks of 200,000 objects went through");
        // every arena whose objects all died is freed like a dead far array; what stays is the arenas of the live
        // objects (the window, the other tests' objects) and each thread's current arena
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (farMemory.farMemory().liveFarBytes() > 12 * arenaBytes && System.nanoTime() < deadline)
        {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(farMemory.farMemory().liveFarBytes() <= 12 * arenaBytes,
            "live far bytes " + farMemory.farMemory().liveFarBytes() + " after blocks of " +
            (FarObjects.bytes() - bytes) + " bytes went through");
    }

    @Test
    void shouldRunConstructorsAsTheJvmSpecifiesInBothInheritanceDirections() throws Exception
    {
        final String result = assertSame("inheritance");
        assertTrue(result.startsWith("base=7 seenBySuper=0 child=42 early=99"), result);
    }

    @Test
    void shouldLeaveClassesThatCannotMoveAsTheyAre() throws Exception
    {
        assertSame("ineligible");
        for (final String name : new String[]{"SerialFar", "CloneFar", "FarRecord", "FarEnum", "FarSmall"})
        {
            final Class<?> type = loader.loadClass(FIXTURES + "." + name);
            assertTrue(hiddenFields(type).isEmpty(), name + " moved nothing");
        }
    }

    @Test
    void shouldKeepWritesOfTwoThreadsToDifferentFieldsOfOneObject() throws Exception
    {
        assertEquals("count=200000 id=600001", run("concurrentWriters", 200_000));
    }

    @Test
    void shouldMoveOnlyNonStaticNonVolatilePrimitiveFields() throws Exception
    {
        final Class<?> particle = loader.loadClass(FIXTURES + ".Particle");
        final Set<String> names = Arrays.stream(particle.getDeclaredFields()).map(Field::getName)
            .collect(Collectors.toSet());
        for (final String moved : new String[]{"x", "y", "id", "count", "charge", "kind", "tag", "flags", "alive",
            "mass"})
        {
            assertFalse(names.contains(moved), moved + " left the heap layout: " + names);
        }
        for (final String kept : new String[]{"created", "version", "name"})
        {
            assertTrue(names.contains(kept), kept + " stayed: " + names);
        }
        assertEquals(2, hiddenFields(particle).size(), names.toString());
        assertEquals(2, hiddenFields(loader.loadClass(FIXTURES + ".FarOfPlain")).size(), "a far class of a plain one");

        final Object p = particle.getConstructor(long.class, double.class).newInstance(3L, 2.0);
        final Field arena = particle.getDeclaredField(FarObjectLayouts.ARENA_FIELD + FIXTURES.replace('.', '$') +
            "$Particle");
        assertNotNull(FarArrays.far(arena.get(p)), "the object's block is in a far array");
        assertTrue(Modifier.isFinal(arena.getModifiers()));
    }

    @Test
    void shouldRefuseReflectionOverAFarClassLoudly() throws Exception
    {
        for (final String program : new String[]{"reflectOverFarFields", "reflectOnAFarField"})
        {
            final InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> loader.loadClass(ObjectPrograms.class.getName()).getMethod(program).invoke(null));
            assertInstanceOf(FarBoundaryError.class, thrown.getCause(), program);
            assertTrue(thrown.getCause().getMessage().contains("io.splitheap.objectfixtures.Particle"),
                thrown.getCause().getMessage());
        }
        assertSame("reflectOnAHeapFieldOfAFarClass");
    }

    /**
     * The methods of a fixture class that, rewritten, pin their object's block.
     */
    private static String pinningMethods(final String name) throws Exception
    {
        final byte[] original;
        try (InputStream in = FarObjectsTest.class.getClassLoader().getResourceAsStream(
            (FIXTURES + "." + name).replace('.', '/') + ".class"))
        {
            original = in.readAllBytes();
        }
        final ClassNode rewritten = new ClassNode();
        new ClassReader(new ClassRewriter(new ScopePolicy(List.of(FIXTURES), List.of(), true,
            new FarClassSelection(List.of(FIXTURES + "." + name), false))).rewrite(original,
            FarObjectsTest.class.getClassLoader())).accept(rewritten, 0);
        return rewritten.methods.stream().filter(method -> Arrays.stream(method.instructions.toArray())
            .anyMatch(insn -> insn instanceof MethodInsnNode && "pinBlock".equals(((MethodInsnNode)insn).name)))
            .map(method -> method.name).collect(Collectors.joining(","));
    }

    private static List<Field> hiddenFields(final Class<?> type)
    {
        return Arrays.stream(type.getDeclaredFields()).filter(field -> field.getName().startsWith("splitheap$"))
            .collect(Collectors.toList());
    }

    private static String assertSame(final String program, final Object... arguments) throws Exception
    {
        final String expected = (String)invoke(ObjectPrograms.class, program, arguments);
        final String actual = run(program, arguments);
        assertEquals(expected, actual, program);
        return actual;
    }

    private static String run(final String program, final Object... arguments) throws Exception
    {
        return (String)invoke(loader.loadClass(ObjectPrograms.class.getName()), program, arguments);
    }

    private static Object invoke(final Class<?> type, final String program, final Object... arguments)
        throws Exception
    {
        final Class<?>[] types = Arrays.stream(arguments).map(argument -> int.class).toArray(Class<?>[]::new);
        return type.getMethod(program, types).invoke(null, arguments);
    }
}
