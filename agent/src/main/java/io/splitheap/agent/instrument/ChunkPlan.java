package io.splitheap.agent.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * What {@link LoopChunker} does to one {@link CountedLoop}: which array locals it walks with its counter, which
 * accesses become direct reads and writes of pinned frames, the locals it adds (one base address per array, the
 * chunk's end), and how to emit the chunked copy of the body.
 * <p>
 * An access qualifies when its array is {@code aload k} of a local the loop never stores (of the access's primitive
 * array type; not {@code boolean[]}, whose stores keep one bit) and its index is {@code iload i} of the counter,
 * the two instructions adjacent: {@code a[i]}, {@code a[i] = v}, or {@code a[i] op= v} (the pair, a {@code dup2},
 * the load, then the store), with no stack map frame and no stack shuffle between the pair and its last use.
 */
final class ChunkPlan
{
    final CountedLoop loop;
    final List<Integer> arrays = new ArrayList<>();
    private final MethodNode method;
    private final int firstLocal;
    private final boolean[] writes;
    private final Map<AbstractInsnNode, Integer> pairs = new IdentityHashMap<>();
    private final Map<AbstractInsnNode, Integer> uses = new IdentityHashMap<>();
    private int bytes;

    private ChunkPlan(final MethodNode method, final CountedLoop loop, final int firstLocal, final int maxArrays)
    {
        this.method = method;
        this.loop = loop;
        this.firstLocal = firstLocal;
        this.writes = new boolean[maxArrays];
    }

    /**
     * Plans a loop.
     *
     * @param method     the method.
     * @param loop       the loop.
     * @param frames     source frames of the method's instructions.
     * @param firstLocal first local slot the plan may use.
     * @param maxArrays  most arrays pinned at once.
     * @param sizeOf     estimates the code size of a method.
     * @return the plan, or null if no access of the loop qualifies.
     */
    static ChunkPlan of(
        final MethodNode method,
        final CountedLoop loop,
        final Frame<SourceValue>[] frames,
        final int firstLocal,
        final int maxArrays,
        final ToIntFunction<MethodNode> sizeOf)
    {
        final ChunkPlan plan = new ChunkPlan(method, loop, firstLocal, maxArrays);
        for (AbstractInsnNode node = loop.bodyStart(); node != loop.latch; node = node.getNext())
        {
            if (isPrimitiveAccess(node.getOpcode()))
            {
                plan.consider(node, frames);
            }
        }
        if (plan.arrays.isEmpty())
        {
            return null;
        }
        final MethodNode body = new MethodNode();
        for (AbstractInsnNode node = loop.bodyStart(); node != loop.latch; node = node.getNext())
        {
            if (node.getOpcode() >= 0)
            {
                body.instructions.add(node.clone(new LabelMap()));
            }
        }
        plan.bytes = sizeOf.applyAsInt(body) + 48 * plan.arrays.size() + 64;
        return plan;
    }

    static boolean isPrimitiveAccess(final int opcode)
    {
        return (opcode >= Opcodes.IALOAD && opcode <= Opcodes.SALOAD && opcode != Opcodes.AALOAD) ||
            (opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE && opcode != Opcodes.AASTORE);
    }

    int bytes()
    {
        return bytes;
    }

    int localsUsed()
    {
        return 2 * arrays.size() + 1;
    }

    int endLocal()
    {
        return firstLocal + 2 * arrays.size();
    }

    private int baseLocal(final int array)
    {
        return firstLocal + 2 * array;
    }

    private void consider(final AbstractInsnNode access, final Frame<SourceValue>[] frames)
    {
        final InsnList insns = method.instructions;
        final Frame<SourceValue> frame = frames[insns.indexOf(access)];
        if (frame == null)
        {
            return;
        }
        final boolean store = access.getOpcode() >= Opcodes.IASTORE;
        final int top = frame.getStackSize() - (store ? 2 : 1);
        final AbstractInsnNode arraySource = single(frame.getStack(top - 1));
        final AbstractInsnNode indexSource = single(frame.getStack(top));
        if (arraySource == null || indexSource == null)
        {
            return;
        }
        if (arraySource.getOpcode() == Opcodes.DUP2 && arraySource == indexSource && !store)
        {
            final AbstractInsnNode pair = arraySource.getPrevious().getPrevious();
            final AbstractInsnNode storeAccess = arraySource.getNext() == access && isPair(pair) ?
                findCompoundStore(pair, access, frames) : null;
            final int array = storeAccess == null ? -1 : arrayOf(pair, access);
            if (array >= 0)
            {
                pairs.put(pair, array);
                uses.put(access, array);
                uses.put(storeAccess, array);
                writes[array] = true;
            }
            return;
        }
        if (arraySource.getNext() != indexSource || !isPair(arraySource) || !quietBetween(arraySource, access))
        {
            return;
        }
        final int array = arrayOf(arraySource, access);
        if (array >= 0 && !uses.containsKey(access))
        {
            pairs.put(arraySource, array);
            uses.put(access, array);
            writes[array] |= store;
        }
    }

    private AbstractInsnNode findCompoundStore(
        final AbstractInsnNode pair, final AbstractInsnNode load, final Frame<SourceValue>[] frames)
    {
        final InsnList insns = method.instructions;
        for (AbstractInsnNode node = load.getNext(); node != null && node != loop.latch; node = node.getNext())
        {
            if (node instanceof FrameNode || node instanceof JumpInsnNode)
            {
                return null;
            }
            if (node.getOpcode() == load.getOpcode() + (Opcodes.IASTORE - Opcodes.IALOAD))
            {
                final Frame<SourceValue> frame = frames[insns.indexOf(node)];
                if (frame != null && single(frame.getStack(frame.getStackSize() - 3)) == pair &&
                    single(frame.getStack(frame.getStackSize() - 2)) == pair.getNext())
                {
                    return quietBetween(load, node) ? node : null;
                }
            }
        }
        return null;
    }

    private boolean isPair(final AbstractInsnNode first)
    {
        final AbstractInsnNode second = first.getNext();
        return first.getOpcode() == Opcodes.ALOAD && second != null && second.getOpcode() == Opcodes.ILOAD &&
            ((VarInsnNode)second).var == loop.index && !storedInBody(((VarInsnNode)first).var);
    }

    /**
     * The plan's number for the array local of a pair, adding it if there is room, or -1 if the local's type does
     * not match the access or all arrays are taken.
     */
    private int arrayOf(final AbstractInsnNode pair, final AbstractInsnNode access)
    {
        final int local = ((VarInsnNode)pair).var;
        if (!arrayType(access.getOpcode()).equals(CountedLoop.localType(loop.headerFrame, local)))
        {
            return -1;
        }
        final int known = arrays.indexOf(local);
        if (known >= 0)
        {
            return known;
        }
        if (arrays.size() == writes.length)
        {
            return -1;
        }
        arrays.add(local);
        return arrays.size() - 1;
    }

    /**
     * No frame, branch or stack shuffle that could reach under its operands (which might split the pair) between
     * two instructions.
     */
    private boolean quietBetween(final AbstractInsnNode from, final AbstractInsnNode to)
    {
        for (AbstractInsnNode node = from.getNext(); node != to; node = node.getNext())
        {
            final int opcode = node.getOpcode();
            if (node instanceof FrameNode || node instanceof JumpInsnNode ||
                (opcode >= Opcodes.DUP_X1 && opcode <= Opcodes.SWAP && opcode != Opcodes.DUP2) ||
                node.getType() == AbstractInsnNode.TABLESWITCH_INSN ||
                node.getType() == AbstractInsnNode.LOOKUPSWITCH_INSN)
            {
                return false;
            }
        }
        return true;
    }

    private boolean storedInBody(final int local)
    {
        for (AbstractInsnNode node = loop.bodyStart(); node != loop.latch; node = node.getNext())
        {
            if (CountedLoop.writes(node, local))
            {
                return true;
            }
        }
        return false;
    }

    private static AbstractInsnNode single(final SourceValue value)
    {
        return value != null && value.insns.size() == 1 ? value.insns.iterator().next() : null;
    }

    private static String arrayType(final int opcode)
    {
        switch (opcode)
        {
            case Opcodes.LALOAD:
            case Opcodes.LASTORE:
                return "[J";
            case Opcodes.DALOAD:
            case Opcodes.DASTORE:
                return "[D";
            case Opcodes.IALOAD:
            case Opcodes.IASTORE:
                return "[I";
            case Opcodes.FALOAD:
            case Opcodes.FASTORE:
                return "[F";
            case Opcodes.SALOAD:
            case Opcodes.SASTORE:
                return "[S";
            case Opcodes.CALOAD:
            case Opcodes.CASTORE:
                return "[C";
            default:
                return "[B";
        }
    }

    private static int shift(final int opcode)
    {
        switch (arrayType(opcode))
        {
            case "[J":
            case "[D":
                return 3;
            case "[I":
            case "[F":
                return 2;
            case "[S":
            case "[C":
                return 1;
            default:
                return 0;
        }
    }

    private static AbstractInsnNode raw(final int opcode)
    {
        final String[] call;
        switch (opcode)
        {
            case Opcodes.LALOAD:
                call = new String[]{"getLong", "(J)J"};
                break;
            case Opcodes.LASTORE:
                call = new String[]{"putLong", "(JJ)V"};
                break;
            case Opcodes.DALOAD:
                call = new String[]{"getDouble", "(J)D"};
                break;
            case Opcodes.DASTORE:
                call = new String[]{"putDouble", "(JD)V"};
                break;
            case Opcodes.IALOAD:
                call = new String[]{"getInt", "(J)I"};
                break;
            case Opcodes.IASTORE:
                call = new String[]{"putInt", "(JI)V"};
                break;
            case Opcodes.FALOAD:
                call = new String[]{"getFloat", "(J)F"};
                break;
            case Opcodes.FASTORE:
                call = new String[]{"putFloat", "(JF)V"};
                break;
            case Opcodes.SALOAD:
                call = new String[]{"getShort", "(J)S"};
                break;
            case Opcodes.SASTORE:
                call = new String[]{"putShort", "(JI)V"};
                break;
            case Opcodes.CALOAD:
                call = new String[]{"getChar", "(J)C"};
                break;
            case Opcodes.CASTORE:
                call = new String[]{"putChar", "(JI)V"};
                break;
            case Opcodes.BALOAD:
                call = new String[]{"getByte", "(J)B"};
                break;
            default:
                call = new String[]{"putByte", "(JI)V"};
                break;
        }
        return ChunkedLoops.call(call[0], call[1]);
    }

    /**
     * The header's frame (a fresh node each time).
     *
     * @return an {@code F_NEW} frame.
     */
    FrameNode headerFrame()
    {
        return withLocals(loop.headerFrame, new Object[0]);
    }

    /**
     * The header's frame plus the chunk's locals.
     *
     * @return an {@code F_NEW} frame.
     */
    FrameNode innerFrame()
    {
        return withLocals(loop.headerFrame, chunkLocals());
    }

    /**
     * The frame of the code a jump out of the loop lands on (a fresh node).
     *
     * @param target the jump target.
     * @return its frame.
     */
    FrameNode frameAt(final LabelNode target)
    {
        AbstractInsnNode node = target.getNext();
        while (node != null && node.getOpcode() < 0 && !(node instanceof FrameNode))
        {
            node = node.getNext();
        }
        if (!(node instanceof FrameNode))
        {
            throw new IllegalStateException("no frame at a jump target");
        }
        return withLocals((FrameNode)node, new Object[0]);
    }

    private Object[] chunkLocals()
    {
        final Object[] locals = new Object[arrays.size() + 1];
        for (int i = 0; i < arrays.size(); i++)
        {
            locals[i] = Opcodes.LONG;
        }
        locals[arrays.size()] = Opcodes.INTEGER;
        return locals;
    }

    private FrameNode withLocals(final FrameNode frame, final Object[] extra)
    {
        final List<Object> locals = new ArrayList<>(frame.local);
        if (extra.length > 0)
        {
            int slots = 0;
            for (final Object type : locals)
            {
                slots += Opcodes.LONG.equals(type) || Opcodes.DOUBLE.equals(type) ? 2 : 1;
            }
            while (slots < firstLocal)
            {
                locals.add(Opcodes.TOP);
                slots++;
            }
            locals.addAll(List.of(extra));
        }
        final List<Object> stack = frame.stack == null ? new ArrayList<>() : new ArrayList<>(frame.stack);
        return new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.size(), stack.toArray());
    }

    void addLimit(final InsnList copy)
    {
        for (final AbstractInsnNode node : loop.limit)
        {
            copy.add(node.clone(Map.of()));
        }
    }

    /**
     * Emits the start of a chunk: the limit into the end local, then for each array its pin (going to
     * {@code pinFailed} when it cannot be pinned) and the end of its line.
     *
     * @param copy      where to emit.
     * @param pinFailed where to go when an array cannot be pinned.
     */
    void addChunkStart(final InsnList copy, final LabelNode pinFailed)
    {
        addLimit(copy);
        copy.add(new VarInsnNode(Opcodes.ISTORE, endLocal()));
        for (int i = 0; i < arrays.size(); i++)
        {
            copy.add(new VarInsnNode(Opcodes.ALOAD, arrays.get(i)));
            copy.add(new VarInsnNode(Opcodes.ILOAD, loop.index));
            copy.add(new InsnNode(writes[i] ? Opcodes.ICONST_1 : Opcodes.ICONST_0));
            copy.add(new InsnNode(Opcodes.ICONST_0 + i));
            copy.add(ChunkedLoops.call("pin", "(Ljava/lang/Object;III)J"));
            copy.add(new InsnNode(Opcodes.DUP2));
            copy.add(new VarInsnNode(Opcodes.LSTORE, baseLocal(i)));
            copy.add(new InsnNode(Opcodes.LCONST_0));
            copy.add(new InsnNode(Opcodes.LCMP));
            copy.add(new JumpInsnNode(Opcodes.IFEQ, pinFailed));
            copy.add(new VarInsnNode(Opcodes.ILOAD, endLocal()));
            copy.add(new VarInsnNode(Opcodes.ALOAD, arrays.get(i)));
            copy.add(new VarInsnNode(Opcodes.ILOAD, loop.index));
            copy.add(ChunkedLoops.call("end", "(Ljava/lang/Object;I)I"));
            copy.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Math", "min", "(II)I", false));
            copy.add(new VarInsnNode(Opcodes.ISTORE, endLocal()));
        }
    }

    /**
     * Emits the body of the chunked copy: the original body with its qualifying accesses made direct, its frames
     * extended with the chunk's locals, returns releasing the pins first, and jumps out of the loop sent through
     * stubs that release them.
     *
     * @param copy     where to emit.
     * @param exitStub the stub for the loop's own exit.
     * @param stubs    filled with a stub label per other jump target outside the loop.
     */
    void addBody(final InsnList copy, final LabelNode exitStub, final Map<LabelNode, LabelNode> stubs)
    {
        final Map<LabelNode, LabelNode> labels = new HashMap<>();
        for (AbstractInsnNode node = loop.bodyStart(); node != loop.latch; node = node.getNext())
        {
            if (node instanceof LabelNode)
            {
                labels.put((LabelNode)node, new LabelNode());
            }
        }
        final Map<LabelNode, LabelNode> targets = new LinkedHashMap<>(labels);
        for (AbstractInsnNode node = loop.bodyStart(); node != loop.latch; node = node.getNext())
        {
            for (final LabelNode target : CountedLoop.targets(node))
            {
                if (!labels.containsKey(target))
                {
                    targets.put(target, target == loop.exit ? exitStub :
                        stubs.computeIfAbsent(target, ignored -> new LabelNode()));
                }
            }
        }
        for (AbstractInsnNode node = loop.bodyStart(); node != loop.latch; node = node.getNext())
        {
            emit(copy, node, targets);
        }
    }

    private void emit(final InsnList copy, final AbstractInsnNode node, final Map<LabelNode, LabelNode> targets)
    {
        final Integer pair = pairs.get(node);
        if (pair != null)
        {
            return;
        }
        final AbstractInsnNode previous = node.getPrevious();
        final Integer pairOfIndex = previous == null ? null : pairs.get(previous);
        if (pairOfIndex != null && node.getOpcode() == Opcodes.ILOAD)
        {
            final int shift = shiftOfPair(previous);
            copy.add(new VarInsnNode(Opcodes.LLOAD, baseLocal(pairOfIndex)));
            copy.add(new VarInsnNode(Opcodes.ILOAD, loop.index));
            copy.add(new InsnNode(Opcodes.I2L));
            if (shift > 0)
            {
                copy.add(new InsnNode(Opcodes.ICONST_0 + shift));
                copy.add(new InsnNode(Opcodes.LSHL));
            }
            copy.add(new InsnNode(Opcodes.LADD));
            return;
        }
        if (uses.containsKey(node))
        {
            copy.add(raw(node.getOpcode()));
            return;
        }
        if (node instanceof FrameNode)
        {
            copy.add(withLocals((FrameNode)node.clone(targets), chunkLocals()));
            return;
        }
        if (node.getOpcode() >= Opcodes.IRETURN && node.getOpcode() <= Opcodes.RETURN)
        {
            copy.add(ChunkedLoops.call("unpinAll", "()V"));
        }
        copy.add(node.clone(targets));
    }

    private int shiftOfPair(final AbstractInsnNode pair)
    {
        for (final Map.Entry<AbstractInsnNode, Integer> use : uses.entrySet())
        {
            if (use.getValue().equals(pairs.get(pair)))
            {
                return shift(use.getKey().getOpcode());
            }
        }
        return 0;
    }

    /**
     * Maps every label to a fresh one (for copies that are only measured).
     */
    private static final class LabelMap extends HashMap<LabelNode, LabelNode>
    {
        private static final long serialVersionUID = 1L;

        public LabelNode get(final Object key)
        {
            return computeIfAbsent((LabelNode)key, ignored -> new LabelNode());
        }
    }
}
