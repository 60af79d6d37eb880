package io.splitheap.agent.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Versions counted loops over arrays (see {@link CountedLoop}) so that far arrays are walked line by line. After the
 * loop's own test, each iteration asks whether the arrays it indexes with its counter are far: unless all of them
 * are, the original body runs (its accesses, rewritten downstream with a helper each, then see heap arrays unless the
 * loop mixes kinds, and the JIT hoists the invariant question out of the loop); when all are far a copy of the body
 * runs in chunks: the chunk pins
 * the current line of each such array ({@code FarChunks.pin}), ends where the first of those lines ends, and reads
 * and writes the pinned frames directly, with no lookup, check or fence per element:
 * <pre>
 *   H:   if (!(i &lt; limit)) goto EXIT
 *        if (FarChunks.isFar(a) for every array a of the loop) goto FAR
 *   B:   original body; i++; goto H
 *   FAR: e = limit; for each a: base_a = pin(a, i); if (base_a == 0) { unpinAll; goto B }  e = min(e, end(a, i))
 *   IN:  body, with a[i] at base_a + (i &lt;&lt; shift); i++; if (i &lt; e) goto IN
 *        unpinAll; if (i &lt; limit) goto H; goto EXIT
 * </pre>
 * Every chunk goes back through the question at H. So the branch has a confident profile whichever kind of array the
 * loop has seen, and the JIT compiles the version not taken as an uncommon trap; when the other kind comes, the trap
 * sends the method back for a recompilation that includes it. (Asked once per loop entry, the branch had too few
 * counts: a loop that first ran over far arrays kept a cold, call-per-element compilation of its heap version.)
 * Pins are held only inside a chunk; every way out of it releases them: its end, {@code break}s and other jumps out
 * (through stubs), {@code return}s, and exceptions (a handler that releases and rethrows). The chunk calls nothing,
 * so no other code runs on the thread while it holds pins. An array the loop cannot pin (moved to the heap, an index
 * outside it) sends one iteration through the original body, which handles it element by element. Accesses whose
 * array or index comes another way, and loops of any other shape, keep element-by-element access. Rewritten
 * accesses change two stack words (array, index) into one long (address), which the JVM's stack instructions handle
 * alike; an access is left alone when a stack map frame, a branch or a stack shuffle lies between the array load and
 * the access.
 */
final class ChunkedLoops
{
    private static final String CHUNKS = "io/splitheap/agent/runtime/FarChunks";
    private static final int MAX_ARRAYS = 4;
    private static final int HUGE_METHOD = 8000;
    private static final int STACK_SLACK = 16;

    private final MethodNode method;
    private final String owner;
    private final InsnList instructions;

    private ChunkedLoops(final MethodNode method, final String owner)
    {
        this.method = method;
        this.owner = owner;
        this.instructions = method.instructions;
    }

    /**
     * Versions the method's counted loops over arrays, in place.
     *
     * @param method the method (its maximum stack and locals are updated).
     * @param owner  internal name of its class.
     * @param size   estimates code size after the rest of the rewriting.
     * @throws AnalyzerException if the method's code cannot be analysed (then it is left as it was).
     */
    static void apply(final MethodNode method, final String owner, final ToIntFunction<MethodNode> size)
        throws AnalyzerException
    {
        new ChunkedLoops(method, owner).chunkLoops(size);
    }

    private void chunkLoops(final ToIntFunction<MethodNode> sizeOf) throws AnalyzerException
    {
        if (!hasPrimitiveArrayAccess())
        {
            return;
        }
        final List<CountedLoop> loops = CountedLoop.find(method, owner);
        if (loops.isEmpty())
        {
            return;
        }
        final int size = sizeOf.applyAsInt(method);
        int budget = size < HUGE_METHOD ? HUGE_METHOD - size : CodeSizeEstimate.LIMIT - size;
        final int originalLocals = method.maxLocals;
        final int originalStack = method.maxStack;
        method.maxLocals = usedLocals();
        method.maxStack += STACK_SLACK;
        final Frame<SourceValue>[] frames;
        try
        {
            frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
        }
        catch (final AnalyzerException ex)
        {
            method.maxLocals = originalLocals;
            method.maxStack = originalStack;
            throw ex;
        }
        final List<ChunkPlan> plans = new ArrayList<>();
        int firstLocal = method.maxLocals;
        for (final CountedLoop loop : loops)
        {
            final ChunkPlan plan = ChunkPlan.of(method, loop, frames, firstLocal, MAX_ARRAYS, sizeOf);
            if (plan != null && plan.bytes() <= budget)
            {
                plans.add(plan);
                budget -= plan.bytes();
                firstLocal += plan.localsUsed();
            }
        }
        for (final ChunkPlan plan : plans)
        {
            apply(plan);
        }
        method.maxLocals = firstLocal;
    }

    private boolean hasPrimitiveArrayAccess()
    {
        for (final AbstractInsnNode node : instructions)
        {
            if (ChunkPlan.isPrimitiveAccess(node.getOpcode()))
            {
                return true;
            }
        }
        return false;
    }

    private int usedLocals()
    {
        int used = (method.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        for (final Type argument : Type.getArgumentTypes(method.desc))
        {
            used += argument.getSize();
        }
        for (final AbstractInsnNode node : instructions)
        {
            if (node instanceof VarInsnNode)
            {
                final int opcode = node.getOpcode();
                final int size = opcode == Opcodes.LLOAD || opcode == Opcodes.DLOAD || opcode == Opcodes.LSTORE ||
                    opcode == Opcodes.DSTORE ? 2 : 1;
                used = Math.max(used, ((VarInsnNode)node).var + size);
            }
            else if (node instanceof IincInsnNode)
            {
                used = Math.max(used, ((IincInsnNode)node).var + 1);
            }
        }
        return Math.max(used, method.maxLocals);
    }

    private void apply(final ChunkPlan plan)
    {
        final CountedLoop loop = plan.loop;
        final LabelNode far = new LabelNode();
        final LabelNode body = new LabelNode();
        final InsnList dispatch = new InsnList();
        for (final int array : plan.arrays)
        {
            dispatch.add(new VarInsnNode(Opcodes.ALOAD, array));
            dispatch.add(call("isFar", "(Ljava/lang/Object;)Z"));
            dispatch.add(new JumpInsnNode(Opcodes.IFEQ, body));
        }
        dispatch.add(new JumpInsnNode(Opcodes.GOTO, far));
        dispatch.add(body);
        dispatch.add(plan.headerFrame());
        instructions.insert(loop.test, dispatch);

        final LabelNode pinFailed = new LabelNode();
        final LabelNode inner = new LabelNode();
        final LabelNode rangeEnd = new LabelNode();
        final LabelNode handler = new LabelNode();
        final InsnList copy = new InsnList();
        copy.add(far);
        copy.add(plan.headerFrame());
        plan.addChunkStart(copy, pinFailed);
        copy.add(inner);
        copy.add(plan.innerFrame());
        final Map<LabelNode, LabelNode> stubs = new HashMap<>();
        final LabelNode exitStub = new LabelNode();
        plan.addBody(copy, exitStub, stubs);
        copy.add(new IincInsnNode(loop.index, 1));
        copy.add(new VarInsnNode(Opcodes.ILOAD, loop.index));
        copy.add(new VarInsnNode(Opcodes.ILOAD, plan.endLocal()));
        copy.add(new JumpInsnNode(Opcodes.IF_ICMPLT, inner));
        copy.add(rangeEnd);
        copy.add(call("unpinAll", "()V"));
        copy.add(new VarInsnNode(Opcodes.ILOAD, loop.index));
        plan.addLimit(copy);
        copy.add(new JumpInsnNode(Opcodes.IF_ICMPLT, loop.header));
        copy.add(new JumpInsnNode(Opcodes.GOTO, loop.exit));
        addStub(copy, pinFailed, plan.headerFrame(), body);
        addStub(copy, exitStub, plan.frameAt(loop.exit), loop.exit);
        for (final Map.Entry<LabelNode, LabelNode> stub : stubs.entrySet())
        {
            addStub(copy, stub.getValue(), plan.frameAt(stub.getKey()), stub.getKey());
        }
        copy.add(handler);
        copy.add(new FrameNode(Opcodes.F_NEW, 0, new Object[0], 1, new Object[]{"java/lang/Throwable"}));
        copy.add(call("unpinAll", "()V"));
        copy.add(new InsnNode(Opcodes.ATHROW));
        instructions.add(copy);
        method.tryCatchBlocks.add(new TryCatchBlockNode(far, rangeEnd, handler, null));
    }

    private static void addStub(final InsnList copy, final LabelNode stub, final FrameNode frame,
        final LabelNode target)
    {
        copy.add(stub);
        copy.add(frame);
        copy.add(call("unpinAll", "()V"));
        copy.add(new JumpInsnNode(Opcodes.GOTO, target));
    }

    static MethodInsnNode call(final String name, final String descriptor)
    {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, CHUNKS, name, descriptor, false);
    }
}
