package io.splitheap.agent.instrument;

import io.splitheap.agent.runtime.FarObjects;
import net.bytebuddy.jar.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
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
import java.util.Arrays;
import java.util.List;

/**
 * An instance method of a far class that reads or writes its own object's far fields ({@code this.x}) more than once
 * pins the object's field block once, on entry, and reads and writes the fields there directly: one ExCache lookup
 * per call instead of one per access. The pin is released on every return and, through a catch-all handler around the
 * whole body, on every exception. When the pin cannot be taken (far memory not installed, the thread already pins
 * {@link FarObjects#MAX_PINNED} blocks) the accesses take the per-access path. Accesses to other objects' far fields
 * are left to {@link FarFieldAccessVisitor}, as are methods that assign local 0 or that the analyser cannot follow,
 * and methods with loops and primitive array accesses (the handler would keep those loops from being chunked).
 */
final class ThisBlockPinning extends TreeMethodStage
{
    private static final String OBJECTS = "io/splitheap/agent/runtime/FarObjects";
    private static final int EXTRA_STACK = 8;

    private final String owner;
    private final FarObjectLayouts.Layout layout;

    ThisBlockPinning(
        final int api,
        final String owner,
        final FarObjectLayouts.Layout layout,
        final int access,
        final String name,
        final String descriptor,
        final MethodVisitor next)
    {
        super(api, access, name, descriptor, next);
        this.owner = owner;
        this.layout = layout;
    }

    /**
     * Whether a method of a class may pin its object's block.
     *
     * @param layout       the class's layout, or null.
     * @param classVersion the class file's major version.
     * @param access       the method's access flags.
     * @param name         its name.
     * @return true for an instance method (not a constructor) of a far class whose blocks fit one line.
     */
    static boolean applies(final FarObjectLayouts.Layout layout, final int classVersion, final int access,
        final String name)
    {
        return layout != null && layout.slots() <= FarObjects.LINE_SLOTS && classVersion >= Opcodes.V1_7 &&
            (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 && !name.startsWith("<");
    }

    /**
     * {@inheritDoc}
     */
    void transform(final MethodNode code)
    {
        if (loopsOverArrays(code))
        {
            // the whole-method handler would keep its loops from running a line at a time (see ChunkedLoops)
            return;
        }
        final List<FieldInsnNode> accesses = thisAccesses(code);
        if (accesses.size() < 2)
        {
            return;
        }
        final boolean write = accesses.stream().anyMatch(access -> access.getOpcode() == Opcodes.PUTFIELD);
        final int block = code.maxLocals;
        code.maxLocals += 2;
        code.maxStack += EXTRA_STACK;
        for (final FieldInsnNode access : accesses)
        {
            code.instructions.insert(access, direct(access, block));
            code.instructions.remove(access);
        }
        for (final AbstractInsnNode insn : code.instructions.toArray())
        {
            if (insn instanceof FrameNode && ((FrameNode)insn).type == Opcodes.F_NEW)
            {
                ((FrameNode)insn).local = withBlock(((FrameNode)insn).local, block);
            }
            else if (insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN)
            {
                code.instructions.insertBefore(insn, unpin(block));
            }
        }
        final LabelNode start = new LabelNode();
        final InsnList prologue = new InsnList();
        blockOfThis(prologue);
        prologue.add(new InsnNode(write ? Opcodes.ICONST_1 : Opcodes.ICONST_0));
        prologue.add(new MethodInsnNode(Opcodes.INVOKESTATIC, OBJECTS, "pinBlock", "([JII)J", false));
        prologue.add(new VarInsnNode(Opcodes.LSTORE, block));
        prologue.add(start);
        code.instructions.insert(prologue);

        final LabelNode end = new LabelNode();
        final LabelNode handler = new LabelNode();
        code.instructions.add(end);
        code.instructions.add(handler);
        final List<Object> locals = withBlock(List.of(), block);
        code.instructions.add(new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), 1,
            new Object[]{"java/lang/Throwable"}));
        code.instructions.add(unpin(block));
        code.instructions.add(new InsnNode(Opcodes.ATHROW));
        code.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    }

    private static boolean loopsOverArrays(final MethodNode code)
    {
        boolean arrays = false;
        boolean loops = false;
        for (int i = 0; i < code.instructions.size(); i++)
        {
            final AbstractInsnNode insn = code.instructions.get(i);
            final int opcode = insn.getOpcode();
            arrays |= opcode >= Opcodes.IALOAD && opcode <= Opcodes.SALOAD && opcode != Opcodes.AALOAD ||
                opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE && opcode != Opcodes.AASTORE;
            loops |= insn instanceof JumpInsnNode &&
                code.instructions.indexOf(((JumpInsnNode)insn).label) < i;
        }
        return arrays && loops;
    }

    private List<FieldInsnNode> thisAccesses(final MethodNode code)
    {
        final List<FieldInsnNode> accesses = new ArrayList<>();
        for (final AbstractInsnNode insn : code.instructions)
        {
            if (insn.getOpcode() == Opcodes.ASTORE && ((VarInsnNode)insn).var == 0)
            {
                return accesses;
            }
        }
        final Frame<SourceValue>[] frames;
        try
        {
            frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, code);
        }
        catch (final AnalyzerException ex)
        {
            return accesses;
        }
        for (int i = 0; i < code.instructions.size(); i++)
        {
            final AbstractInsnNode insn = code.instructions.get(i);
            if (!(insn instanceof FieldInsnNode) || frames[i] == null)
            {
                continue;
            }
            final FieldInsnNode field = (FieldInsnNode)insn;
            final boolean get = field.getOpcode() == Opcodes.GETFIELD;
            if ((get || field.getOpcode() == Opcodes.PUTFIELD) && owner.equals(field.owner) &&
                layout.moves(field.name, field.desc))
            {
                final Frame<SourceValue> frame = frames[i];
                final int depth = get ? 1 : 2;
                if (isThis(frame.getStack(frame.getStackSize() - depth), code, frames, 0))
                {
                    accesses.add(field);
                }
            }
        }
        return accesses;
    }

    /**
     * Whether a value is always {@code this}: loaded from local 0, possibly through {@code dup}s (as
     * {@code this.x += v} compiles).
     */
    private static boolean isThis(
        final SourceValue value, final MethodNode code, final Frame<SourceValue>[] frames, final int depth)
    {
        if (value.insns.isEmpty() || depth > 8)
        {
            return false;
        }
        for (final AbstractInsnNode source : value.insns)
        {
            if (source.getOpcode() == Opcodes.DUP || source.getOpcode() == Opcodes.DUP_X1 ||
                source.getOpcode() == Opcodes.DUP_X2)
            {
                final Frame<SourceValue> before = frames[code.instructions.indexOf(source)];
                if (before == null || !isThis(before.getStack(before.getStackSize() - 1), code, frames, depth + 1))
                {
                    return false;
                }
            }
            else if (source.getOpcode() != Opcodes.ALOAD || ((VarInsnNode)source).var != 0)
            {
                return false;
            }
        }
        return true;
    }

    private InsnList direct(final FieldInsnNode access, final int block)
    {
        final InsnList code = new InsnList();
        final int slot = layout.fields.get(access.name + ':' + access.desc).slot;
        if (access.getOpcode() == Opcodes.GETFIELD)
        {
            code.add(new InsnNode(Opcodes.POP));
            slotOf(code, block, slot);
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, OBJECTS, "getSlot", "(J[JII)J", false));
            FieldSlots.fromSlot(code, access.desc);
        }
        else
        {
            FieldSlots.toSlot(code, access.desc);
            slotOf(code, block, slot);
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, OBJECTS, "putSlot", "(JJ[JII)V", false));
            code.add(new InsnNode(Opcodes.POP));
        }
        return code;
    }

    private void slotOf(final InsnList code, final int block, final int slot)
    {
        code.add(new VarInsnNode(Opcodes.LLOAD, block));
        blockOfThis(code);
        code.add(new LdcInsnNode(slot));
    }

    private void blockOfThis(final InsnList code)
    {
        code.add(new VarInsnNode(Opcodes.ALOAD, 0));
        code.add(new FieldInsnNode(Opcodes.GETFIELD, owner, layout.arenaField, "[J"));
        code.add(new VarInsnNode(Opcodes.ALOAD, 0));
        code.add(new FieldInsnNode(Opcodes.GETFIELD, owner, layout.baseField, "I"));
    }

    private static InsnList unpin(final int block)
    {
        final InsnList code = new InsnList();
        code.add(new VarInsnNode(Opcodes.LLOAD, block));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, OBJECTS, "unpinBlock", "(J)V", false));
        return code;
    }

    /**
     * A frame's locals with the block address at its slot: padded with {@code TOP} up to it, then {@code LONG}.
     */
    private static List<Object> withBlock(final List<Object> locals, final int block)
    {
        final List<Object> extended = new ArrayList<>(locals == null ? List.of() : locals);
        int slots = 0;
        for (final Object local : extended)
        {
            slots += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        extended.addAll(Arrays.asList(new Object[Math.max(0, block - slots)]));
        extended.replaceAll(local -> local == null ? Opcodes.TOP : local);
        extended.add(Opcodes.LONG);
        return extended;
    }
}
