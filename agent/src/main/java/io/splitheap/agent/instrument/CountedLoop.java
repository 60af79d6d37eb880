package io.splitheap.agent.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A counted loop as javac compiles {@code for (...; i < limit; i++) body}, innermost, whose body makes no call and
 * nothing that could run other code on this thread (no allocation, monitor, class initialisation or loading):
 * <pre>
 *   H:    [frame]  iload i; &lt;limit&gt;; if_icmpge EXIT
 *                  body (forward jumps only, none to H, no store to i)
 *   C:             iinc i 1
 *                  goto H
 *   EXIT:
 * </pre>
 * {@code limit} is an {@code int} that cannot change while the loop runs on this thread: a constant, a local the
 * body never stores, the length of an array local it never stores, or an {@code int} field of such a local that it
 * never writes. {@link #find} recognises the shape and nothing else; everything it rejects keeps element-by-element
 * access, which is always correct.
 */
final class CountedLoop
{
    final LabelNode header;
    final FrameNode headerFrame;
    final int index;
    final List<AbstractInsnNode> limit;
    final JumpInsnNode test;
    final IincInsnNode latch;
    final JumpInsnNode backEdge;
    final LabelNode exit;
    private final AbstractInsnNode firstOfBody;

    private CountedLoop(
        final LabelNode header,
        final FrameNode headerFrame,
        final int index,
        final List<AbstractInsnNode> limit,
        final JumpInsnNode test,
        final IincInsnNode latch,
        final JumpInsnNode backEdge)
    {
        this.header = header;
        this.headerFrame = headerFrame;
        this.index = index;
        this.limit = limit;
        this.test = test;
        this.latch = latch;
        this.backEdge = backEdge;
        this.exit = test.label;
        this.firstOfBody = test.getNext();
    }

    /**
     * The loops of a method that have the shape.
     *
     * @param method the method.
     * @param owner  internal name of its class.
     * @return the loops.
     */
    static List<CountedLoop> find(final MethodNode method, final String owner)
    {
        final List<CountedLoop> loops = new ArrayList<>();
        final InsnList insns = method.instructions;
        for (final AbstractInsnNode node : insns)
        {
            if (node.getOpcode() == Opcodes.GOTO && insns.indexOf(((JumpInsnNode)node).label) < insns.indexOf(node))
            {
                final CountedLoop loop = match(method, owner, (JumpInsnNode)node);
                if (loop != null)
                {
                    loops.add(loop);
                }
            }
        }
        return loops;
    }

    /**
     * The first instruction of the body (the one after the test when the loop was found; code inserted after the
     * test later is not part of the body).
     *
     * @return the node.
     */
    AbstractInsnNode bodyStart()
    {
        return firstOfBody;
    }

    private static CountedLoop match(final MethodNode method, final String owner, final JumpInsnNode backEdge)
    {
        final InsnList insns = method.instructions;
        final LabelNode header = backEdge.label;
        FrameNode frame = null;
        AbstractInsnNode node = header.getNext();
        while (node != null && node.getOpcode() < 0)
        {
            if (node instanceof FrameNode)
            {
                frame = (FrameNode)node;
            }
            node = node.getNext();
        }
        if (frame == null || frame.type != Opcodes.F_NEW || (frame.stack != null && !frame.stack.isEmpty()) ||
            node == null || node.getOpcode() != Opcodes.ILOAD)
        {
            return null;
        }
        final int index = ((VarInsnNode)node).var;
        final List<AbstractInsnNode> limit = new ArrayList<>();
        node = node.getNext();
        while (node != null && !(node instanceof JumpInsnNode) && limit.size() < 3)
        {
            limit.add(node);
            node = node.getNext();
        }
        if (node == null || node.getOpcode() != Opcodes.IF_ICMPGE || !isLimit(limit, owner))
        {
            return null;
        }
        final JumpInsnNode test = (JumpInsnNode)node;
        AbstractInsnNode beforeBack = backEdge.getPrevious();
        while (beforeBack != null && beforeBack.getOpcode() < 0)
        {
            beforeBack = beforeBack.getPrevious();
        }
        if (!(beforeBack instanceof IincInsnNode) || ((IincInsnNode)beforeBack).var != index ||
            ((IincInsnNode)beforeBack).incr != 1 || insns.indexOf(test.label) <= insns.indexOf(backEdge) ||
            !isIntLocal(frame, index))
        {
            return null;
        }
        final CountedLoop loop = new CountedLoop(header, frame, index, limit, test, (IincInsnNode)beforeBack,
            backEdge);
        return loop.isSelfContained(method, owner) ? loop : null;
    }

    private static boolean isLimit(final List<AbstractInsnNode> limit, final String owner)
    {
        if (limit.size() == 1)
        {
            final AbstractInsnNode only = limit.get(0);
            final int opcode = only.getOpcode();
            return opcode == Opcodes.ILOAD || (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.ICONST_5) ||
                opcode == Opcodes.BIPUSH || opcode == Opcodes.SIPUSH ||
                (opcode == Opcodes.LDC && ((LdcInsnNode)only).cst instanceof Integer);
        }
        if (limit.size() == 2 && limit.get(0).getOpcode() == Opcodes.ALOAD)
        {
            final AbstractInsnNode second = limit.get(1);
            return second.getOpcode() == Opcodes.ARRAYLENGTH || (second.getOpcode() == Opcodes.GETFIELD &&
                "I".equals(((FieldInsnNode)second).desc));
        }
        return false;
    }

    private static boolean isIntLocal(final FrameNode frame, final int index)
    {
        final Object type = localType(frame, index);
        return Opcodes.INTEGER.equals(type);
    }

    /**
     * The type a full frame gives a local variable slot.
     *
     * @param frame an {@code F_NEW} frame.
     * @param slot  the slot.
     * @return the type (TOP if none).
     */
    static Object localType(final FrameNode frame, final int slot)
    {
        int at = 0;
        for (final Object type : frame.local)
        {
            if (at == slot)
            {
                return type;
            }
            at += Opcodes.LONG.equals(type) || Opcodes.DOUBLE.equals(type) ? 2 : 1;
            if (at > slot)
            {
                return Opcodes.TOP;
            }
        }
        return Opcodes.TOP;
    }

    /**
     * Whether the loop is entered only at its header, makes no call, holds no other loop, writes none of the locals
     * (and fields) its limit and index depend on, and lies outside every exception handler's range.
     */
    private boolean isSelfContained(final MethodNode method, final String owner)
    {
        final InsnList insns = method.instructions;
        final int first = insns.indexOf(header);
        final int last = insns.indexOf(backEdge);
        for (final TryCatchBlockNode block : method.tryCatchBlocks)
        {
            final int start = insns.indexOf(block.start);
            final int end = insns.indexOf(block.end);
            final int handler = insns.indexOf(block.handler);
            if ((start <= last && end > first) || (handler >= first && handler <= last))
            {
                return false;
            }
        }
        final Set<LabelNode> inside = new HashSet<>();
        for (AbstractInsnNode node = header.getNext(); node != backEdge; node = node.getNext())
        {
            if (node instanceof LabelNode)
            {
                inside.add((LabelNode)node);
            }
        }
        for (final AbstractInsnNode node : insns)
        {
            final int at = insns.indexOf(node);
            final boolean within = at >= first && at <= last;
            for (final LabelNode target : targets(node))
            {
                if (!within && inside.contains(target))
                {
                    return false;
                }
                if (within && node != backEdge && (target == header ||
                    (inside.contains(target) && insns.indexOf(target) < at)))
                {
                    return false;
                }
            }
        }
        for (AbstractInsnNode node = test.getNext(); node != backEdge; node = node.getNext())
        {
            if (!isAllowedInBody(node, owner) || writes(node, index) || writesLimit(node))
            {
                return false;
            }
            if (node == latch)
            {
                continue;
            }
            if (node instanceof IincInsnNode && ((IincInsnNode)node).var == index)
            {
                return false;
            }
        }
        return true;
    }

    private boolean writesLimit(final AbstractInsnNode node)
    {
        final AbstractInsnNode source = limit.get(0);
        if (source instanceof VarInsnNode && writes(node, ((VarInsnNode)source).var))
        {
            return true;
        }
        if (limit.size() == 2 && limit.get(1).getOpcode() == Opcodes.GETFIELD && node.getOpcode() == Opcodes.PUTFIELD)
        {
            final FieldInsnNode read = (FieldInsnNode)limit.get(1);
            final FieldInsnNode write = (FieldInsnNode)node;
            return read.name.equals(write.name) && read.desc.equals(write.desc);
        }
        return false;
    }

    /**
     * Whether an instruction stores into a local variable slot.
     *
     * @param node an instruction.
     * @param slot the slot.
     * @return true if it does.
     */
    static boolean writes(final AbstractInsnNode node, final int slot)
    {
        if (node instanceof VarInsnNode)
        {
            final VarInsnNode var = (VarInsnNode)node;
            final int opcode = var.getOpcode();
            if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE)
            {
                final int size = opcode == Opcodes.LSTORE || opcode == Opcodes.DSTORE ? 2 : 1;
                return slot >= var.var && slot < var.var + size;
            }
        }
        return false;
    }

    private static boolean isAllowedInBody(final AbstractInsnNode node, final String owner)
    {
        final int opcode = node.getOpcode();
        switch (node.getType())
        {
            case AbstractInsnNode.METHOD_INSN:
            case AbstractInsnNode.INVOKE_DYNAMIC_INSN:
            case AbstractInsnNode.TYPE_INSN:
            case AbstractInsnNode.MULTIANEWARRAY_INSN:
                return false;
            case AbstractInsnNode.INSN:
                return opcode != Opcodes.MONITORENTER && opcode != Opcodes.MONITOREXIT;
            case AbstractInsnNode.INT_INSN:
                return opcode != Opcodes.NEWARRAY;
            case AbstractInsnNode.VAR_INSN:
                return opcode != Opcodes.RET;
            case AbstractInsnNode.JUMP_INSN:
                return opcode != Opcodes.JSR;
            case AbstractInsnNode.FIELD_INSN:
                return opcode == Opcodes.GETFIELD || opcode == Opcodes.PUTFIELD ||
                    owner.equals(((FieldInsnNode)node).owner);
            case AbstractInsnNode.LDC_INSN:
                return ((LdcInsnNode)node).cst instanceof Number || ((LdcInsnNode)node).cst instanceof String;
            default:
                return true;
        }
    }

    /**
     * The labels an instruction may jump to.
     *
     * @param node an instruction.
     * @return its targets.
     */
    static List<LabelNode> targets(final AbstractInsnNode node)
    {
        if (node instanceof JumpInsnNode)
        {
            return List.of(((JumpInsnNode)node).label);
        }
        final List<LabelNode> targets = new ArrayList<>();
        if (node instanceof TableSwitchInsnNode)
        {
            targets.add(((TableSwitchInsnNode)node).dflt);
            targets.addAll(((TableSwitchInsnNode)node).labels);
        }
        else if (node instanceof LookupSwitchInsnNode)
        {
            targets.add(((LookupSwitchInsnNode)node).dflt);
            targets.addAll(((LookupSwitchInsnNode)node).labels);
        }
        return targets;
    }
}
