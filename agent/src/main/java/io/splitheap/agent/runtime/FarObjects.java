package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarBoundaryError;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.core.FarRegistry;
import io.splitheap.agent.core.Sites;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.FarArray;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.util.Arrays;
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

    /**
     * Largest block that never straddles two lines: blocks up to 4 KiB (the smallest line) are placed within one
     * 4 KiB-aligned stretch of their arena, so a method may pin its object's block as one line.
     */
    public static final int LINE_SLOTS = 512;

    /**
     * Most blocks one thread keeps pinned at once (methods of far objects calling methods of others); deeper calls
     * take the per-access path.
     */
    public static final int MAX_PINNED = 4;

    private static final ThreadLocal<Arena> ARENAS = ThreadLocal.withInitial(Arena::new);
    private static final LongAdder OBJECTS = new LongAdder();
    private static final LongAdder BYTES = new LongAdder();
    private static final Map<String, String> FAR_CLASSES = new ConcurrentHashMap<>();
    private static final Map<String, Level> LAYOUTS = new ConcurrentHashMap<>();
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
     * Pins the line of an object's block for a method that accesses its fields directly (see
     * {@link #getSlot}/{@link #putSlot}), until {@link #unpinBlock}.
     *
     * @param arena the object's arena.
     * @param base  its block's index in the arena.
     * @param write 1 if the method stores into the block, else 0.
     * @return the block's address, or 0 when the method must take the per-access path (the arena is a heap array,
     *         or the thread pins {@link #MAX_PINNED} blocks already).
     */
    public static long pinBlock(final long[] arena, final int base, final int write)
    {
        if (arena == null || arena.length != 0)
        {
            return 0;
        }
        final Arena thread = ARENAS.get();
        final FarArray far = thread.pinned < MAX_PINNED ? FarRegistry.find(arena) : null;
        if (far == null)
        {
            return 0;
        }
        final long address = far.cache().pinBlock(far, (long)base << 3, write != 0);
        Reference.reachabilityFence(arena);
        if (address != 0)
        {
            thread.pinned++;
        }
        return address;
    }

    /**
     * Releases what {@link #pinBlock} pinned.
     *
     * @param address what it returned.
     */
    public static void unpinBlock(final long address)
    {
        if (address != 0)
        {
            ARENAS.get().pinned--;
            FarMemory.current().cache().unpinBlock(address);
        }
    }

    /**
     * A slot of a block: directly when the block is pinned, else through the far-array path.
     *
     * @param block the pinned block's address, or 0.
     * @param arena the object's arena.
     * @param base  its block's index in the arena.
     * @param slot  the field's slot.
     * @return the slot's 8 bytes.
     */
    public static long getSlot(final long block, final long[] arena, final int base, final int slot)
    {
        return block != 0 ? FarChunks.getLong(block + ((long)slot << 3)) : FarAccess.laload(arena, base + slot);
    }

    /**
     * Stores a slot of a block: directly when the block is pinned for writing, else through the far-array path.
     *
     * @param value the slot's 8 bytes.
     * @param block the pinned block's address, or 0.
     * @param arena the object's arena.
     * @param base  its block's index in the arena.
     * @param slot  the field's slot.
     */
    public static void putSlot(final long value, final long block, final long[] arena, final int base, final int slot)
    {
        if (block != 0)
        {
            FarChunks.putLong(block + ((long)slot << 3), value);
        }
        else
        {
            FarAccess.lastore(arena, base + slot, value);
        }
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
     * Records that a class's fields move (called as its class file is rewritten), for the reflection guard and for
     * {@link #afterClone}.
     *
     * @param className  dotted class name.
     * @param fields     the moved fields, for messages.
     * @param arenaField the heap field holding an object's arena.
     * @param baseField  the heap field holding its block's index.
     * @param slots      the block's slots.
     */
    public static void registerClass(
        final String className, final String fields, final String arenaField, final String baseField, final int slots)
    {
        FAR_CLASSES.put(className, fields);
        LAYOUTS.put(className, new Level(arenaField, baseField, slots));
    }

    /**
     * After {@code Object.clone()} in rewritten code: the copy got the original's arena and index, so it would share
     * its far fields with the original; give it blocks of its own, with the same values.
     *
     * @param copy what {@code clone()} returned.
     * @return the copy.
     */
    public static Object afterClone(final Object copy)
    {
        if (copy == null || LAYOUTS.isEmpty())
        {
            return copy;
        }
        for (Class<?> level = copy.getClass(); level != null && level != Object.class; level = level.getSuperclass())
        {
            final Level layout = LAYOUTS.get(level.getName());
            if (layout != null)
            {
                layout.copyBlock(level, copy);
            }
        }
        return copy;
    }

    /**
     * {@code Class.getDeclaredFields()} in rewritten code.
     *
     * @param type the class.
     * @return its fields.
     */
    public static Field[] getDeclaredFields(final Class<?> type)
    {
        check(type, null, "getDeclaredFields()");
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
            check(level, null, "getFields()");
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
        check(type, name, "getDeclaredField(\"" + name + "\")");
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
            check(level, name, "getField(\"" + name + "\")");
        }
        return type.getField(name);
    }

    /**
     * Refuses reflection over a far class's fields: any enumeration (it would miss the moved fields), and a lookup by
     * name of a moved field (the JDK would say it does not exist); a lookup of a field that stays on the heap goes on.
     */
    private static void check(final Class<?> type, final String name, final String call)
    {
        final String fields = type == null || FAR_CLASSES.isEmpty() ? null : FAR_CLASSES.get(type.getName());
        if (fields != null && (name == null || Arrays.asList(fields.split(", ")).contains(name)))
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

    /**
     * How to find one far class level's block in an object, for copies.
     */
    private static final class Level
    {
        private final String arenaField;
        private final String baseField;
        private final int slots;

        Level(final String arenaField, final String baseField, final int slots)
        {
            this.arenaField = arenaField;
            this.baseField = baseField;
            this.slots = slots;
        }

        void copyBlock(final Class<?> level, final Object copy)
        {
            try
            {
                final Field arenaOf = level.getDeclaredField(arenaField);
                final Field baseOf = level.getDeclaredField(baseField);
                arenaOf.setAccessible(true);
                baseOf.setAccessible(true);
                final long[] arena = (long[])arenaOf.get(copy);
                if (arena == null)
                {
                    return;
                }
                final int base = baseOf.getInt(copy);
                final long[] fresh = (long[])allocate(slots);
                final int freshBase = base();
                for (int slot = 0; slot < slots; slot++)
                {
                    FarAccess.lastore(fresh, freshBase + slot, FarAccess.laload(arena, base + slot));
                }
                arenaOf.set(copy, fresh);
                baseOf.setInt(copy, freshBase);
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                throw new FarBoundaryError("a clone of " + copy.getClass().getName() + " could not get far fields " +
                    "of its own for " + level.getName() + " (" + ex + "); leave " + level.getName() +
                    " out of far.classes=");
            }
        }
    }

    private static final class Arena
    {
        private long[] array;
        private int next = ARENA_SLOTS;
        private int base;
        private int pinned;

        long[] take(final int slots)
        {
            if (slots > ARENA_SLOTS)
            {
                base = 0;
                return newArena(slots);
            }
            if (slots <= LINE_SLOTS && next / LINE_SLOTS != (next + slots - 1) / LINE_SLOTS)
            {
                next = (next / LINE_SLOTS + 1) * LINE_SLOTS;
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
