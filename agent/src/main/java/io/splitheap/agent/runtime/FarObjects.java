package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarBoundaryError;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.core.Sites;
import io.splitheap.agent.excache.ElementType;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Field blocks of far objects (classes named by {@code far.classes=}), for rewritten constructors, and the guard on
 * reflection over their classes.
 * <p>
 * A far object's moved fields live in an 8-byte slot each of a block carved from a far {@code long[]} arena of its
 * allocating thread (no round trip and no lock per object); the object keeps the arena and the block's index in two
 * heap fields per class level. An arena is freed, as any far array, once no object of it is reachable: blocks are
 * not reused one by one, so a long-lived object keeps its arena's far memory (at most {@link #ARENA_SLOTS} slots)
 * alive. A constructor allocates with {@link #allocate(int)} and then reads the block's index with {@link #base()},
 * on the same thread, before the superclass constructor runs.
 */
public final class FarObjects
{
    /**
     * Slots (8 bytes each) of an arena: 256 KiB, 64 lines of 4 KiB.
     */
    public static final int ARENA_SLOTS = 1 << 15;

    private static final ThreadLocal<Arena> ARENAS = ThreadLocal.withInitial(Arena::new);
    private static final LongAdder OBJECTS = new LongAdder();
    private static final LongAdder BYTES = new LongAdder();
    private static final Map<String, String> FAR_CLASSES = new ConcurrentHashMap<>();
    private static volatile int site = -1;

    private FarObjects()
    {
    }

    /**
     * Takes a block for a new object from the calling thread's arena.
     *
     * @param slots the block's size in 8-byte slots.
     * @return the arena (a far {@code long[]}, or a heap one when far memory is not installed).
     */
    public static Object allocate(final int slots)
    {
        OBJECTS.increment();
        BYTES.add((long)slots << 3);
        return ARENAS.get().take(slots);
    }

    /**
     * The index of the block the calling thread took last.
     *
     * @return the index of its first slot in its arena.
     */
    public static int base()
    {
        return ARENAS.get().base;
    }

    /**
     * Far objects created so far.
     *
     * @return objects whose fields went far.
     */
    public static long objects()
    {
        return OBJECTS.sum();
    }

    /**
     * Bytes of far field blocks created so far.
     *
     * @return 8 per moved field per object.
     */
    public static long bytes()
    {
        return BYTES.sum();
    }

    /**
     * Records that a class's fields move (called as its class file is rewritten), for the reflection guard.
     *
     * @param className dotted class name.
     * @param fields    the moved fields, for messages.
     */
    public static void registerClass(final String className, final String fields)
    {
        FAR_CLASSES.put(className, fields);
    }

    /**
     * {@code Class.getDeclaredFields()} in rewritten code.
     *
     * @param type the class.
     * @return its fields.
     */
    public static Field[] getDeclaredFields(final Class<?> type)
    {
        check(type, "getDeclaredFields()");
        return type.getDeclaredFields();
    }

    /**
     * {@code Class.getFields()} in rewritten code.
     *
     * @param type the class.
     * @return its public fields.
     */
    public static Field[] getFields(final Class<?> type)
    {
        for (Class<?> level = type; level != null; level = level.getSuperclass())
        {
            check(level, "getFields()");
        }
        return type.getFields();
    }

    /**
     * {@code Class.getDeclaredField(String)} in rewritten code.
     *
     * @param type the class.
     * @param name the field's name.
     * @return the field.
     * @throws NoSuchFieldException as the JDK does.
     */
    public static Field getDeclaredField(final Class<?> type, final String name) throws NoSuchFieldException
    {
        check(type, "getDeclaredField(\"" + name + "\")");
        return type.getDeclaredField(name);
    }

    /**
     * {@code Class.getField(String)} in rewritten code.
     *
     * @param type the class.
     * @param name the field's name.
     * @return the field.
     * @throws NoSuchFieldException as the JDK does.
     */
    public static Field getField(final Class<?> type, final String name) throws NoSuchFieldException
    {
        for (Class<?> level = type; level != null; level = level.getSuperclass())
        {
            check(level, "getField(\"" + name + "\")");
        }
        return type.getField(name);
    }

    private static void check(final Class<?> type, final String call)
    {
        final String fields = type == null || FAR_CLASSES.isEmpty() ? null : FAR_CLASSES.get(type.getName());
        if (fields != null)
        {
            throw new FarBoundaryError("reflection over the fields of " + type.getName() + " (" + call + "): its " +
                "fields " + fields + " live in far memory (far.classes=) and reflection would not see them; leave " +
                type.getName() + " out of far.classes= for code that reads its fields by reflection");
        }
    }

    private static int site()
    {
        int id = site;
        if (id < 0)
        {
            synchronized (FarObjects.class)
            {
                id = site;
                if (id < 0)
                {
                    id = Sites.ALLOCATIONS.register("field blocks of far objects (far.classes=)");
                    site = id;
                }
            }
        }
        return id;
    }

    private static final class Arena
    {
        private long[] array;
        private int next = ARENA_SLOTS;
        private int base;

        long[] take(final int slots)
        {
            if (slots > ARENA_SLOTS)
            {
                base = 0;
                return newArena(slots);
            }
            if (array == null || next + slots > ARENA_SLOTS)
            {
                array = newArena(ARENA_SLOTS);
                next = 0;
            }
            base = next;
            next += slots;
            return array;
        }

        private static long[] newArena(final int slots)
        {
            final FarMemory farMemory = FarMemory.current();
            return farMemory == null ? new long[slots] :
                (long[])farMemory.allocate(ElementType.LONG, slots, site());
        }
    }
}
