package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Attribute;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.TypePath;

import java.util.ArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Records a method's code and replays it, once {@code max_locals} is known, through a visitor made for that value.
 * Rewrites that need fresh local variables (the boundary rewriter stores call arguments in them) allocate them
 * from {@code max_locals} upwards. Declarations outside the code go straight through; type annotations on
 * instructions are dropped (they are not visible at run time).
 */
public final class DeferredMethodVisitor extends MethodVisitor
{
    private final MethodVisitor next;
    private final IntFunction<MethodVisitor> rewriterForMaxLocals;
    private final BiFunction<MethodVisitor, Integer, MethodVisitor> rewriterForTarget;
    private final Predicate<Consumer<MethodVisitor>> fitsWhenRewritten;
    private final MethodVisitor unchanged;
    private final BiFunction<MethodVisitor, Integer, MethodVisitor> fallbackForTarget;
    private final TooLarge tooLarge;
    private final ArrayList<Consumer<MethodVisitor>> events = new ArrayList<>();
    private boolean recording;

    /**
     * A recorder.
     *
     * @param api                  ASM api.
     * @param next                 receives declarations directly.
     * @param rewriterForMaxLocals makes the visitor the code is replayed through, given max_locals.
     */
    public DeferredMethodVisitor(
        final int api, final MethodVisitor next, final IntFunction<MethodVisitor> rewriterForMaxLocals)
    {
        this(api, next, rewriterForMaxLocals, null, null, null, null, null);
    }

    /**
     * A recorder that leaves a method unchanged when its rewritten code would exceed the JVM's 64 KiB limit: a
     * method whose {@link CodeSizeEstimate} is over the limit is rewritten once into a scratch writer to find out.
     *
     * @param api                  ASM api.
     * @param next                 receives declarations directly.
     * @param rewriterForMaxLocals makes the visitor the code is replayed through, given max_locals.
     * @param rewriterForTarget    makes the same rewriting chain onto another target (the scratch writer).
     * @param fitsWhenRewritten    replays the rewritten method into a scratch writer and says whether it fits.
     * @param unchanged            receives the code when it would be too large: through the fallback if that fits,
     *                             else unrewritten.
     * @param fallbackForTarget    a smaller rewriting chain onto a target, tried when the whole one is too large; may
     *                             be null.
     * @param tooLarge             told the estimated rewritten size, and whether the fallback was used.
     */
    public DeferredMethodVisitor(
        final int api,
        final MethodVisitor next,
        final IntFunction<MethodVisitor> rewriterForMaxLocals,
        final BiFunction<MethodVisitor, Integer, MethodVisitor> rewriterForTarget,
        final Predicate<Consumer<MethodVisitor>> fitsWhenRewritten,
        final MethodVisitor unchanged,
        final BiFunction<MethodVisitor, Integer, MethodVisitor> fallbackForTarget,
        final TooLarge tooLarge)
    {
        super(api, next);
        this.next = next;
        this.rewriterForMaxLocals = rewriterForMaxLocals;
        this.rewriterForTarget = rewriterForTarget;
        this.fitsWhenRewritten = fitsWhenRewritten;
        this.unchanged = unchanged;
        this.fallbackForTarget = fallbackForTarget;
        this.tooLarge = tooLarge;
    }

    /**
     * {@inheritDoc}
     */
    public void visitCode()
    {
        recording = true;
        events.add(MethodVisitor::visitCode);
    }

    /**
     * {@inheritDoc}
     */
    public void visitFrame(
        final int type, final int numLocal, final Object[] local, final int numStack, final Object[] stack)
    {
        // the reader reuses these arrays for the next frame: keep copies
        final Object[] locals = local == null ? null : local.clone();
        final Object[] stackCopy = stack == null ? null : stack.clone();
        events.add(mv -> mv.visitFrame(type, numLocal, locals, numStack, stackCopy));
    }

    /**
     * {@inheritDoc}
     */
    public void visitInsn(final int opcode)
    {
        events.add(mv -> mv.visitInsn(opcode));
    }

    /**
     * {@inheritDoc}
     */
    public void visitIntInsn(final int opcode, final int operand)
    {
        events.add(mv -> mv.visitIntInsn(opcode, operand));
    }

    /**
     * {@inheritDoc}
     */
    public void visitVarInsn(final int opcode, final int varIndex)
    {
        events.add(mv -> mv.visitVarInsn(opcode, varIndex));
    }

    /**
     * {@inheritDoc}
     */
    public void visitTypeInsn(final int opcode, final String type)
    {
        events.add(mv -> mv.visitTypeInsn(opcode, type));
    }

    /**
     * {@inheritDoc}
     */
    public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
    {
        events.add(mv -> mv.visitFieldInsn(opcode, owner, name, descriptor));
    }

    /**
     * {@inheritDoc}
     */
    public void visitMethodInsn(
        final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
    {
        events.add(mv -> mv.visitMethodInsn(opcode, owner, name, descriptor, isInterface));
    }

    /**
     * {@inheritDoc}
     */
    public void visitInvokeDynamicInsn(
        final String name, final String descriptor, final Handle bootstrap, final Object... bootstrapArguments)
    {
        final Object[] arguments = bootstrapArguments.clone();
        events.add(mv -> mv.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments));
    }

    /**
     * {@inheritDoc}
     */
    public void visitJumpInsn(final int opcode, final Label label)
    {
        events.add(mv -> mv.visitJumpInsn(opcode, label));
    }

    /**
     * {@inheritDoc}
     */
    public void visitLabel(final Label label)
    {
        events.add(mv -> mv.visitLabel(label));
    }

    /**
     * {@inheritDoc}
     */
    public void visitLdcInsn(final Object value)
    {
        events.add(mv -> mv.visitLdcInsn(value));
    }

    /**
     * {@inheritDoc}
     */
    public void visitIincInsn(final int varIndex, final int increment)
    {
        events.add(mv -> mv.visitIincInsn(varIndex, increment));
    }

    /**
     * {@inheritDoc}
     */
    public void visitTableSwitchInsn(final int min, final int max, final Label dflt, final Label... labels)
    {
        final Label[] labelsCopy = labels.clone();
        events.add(mv -> mv.visitTableSwitchInsn(min, max, dflt, labelsCopy));
    }

    /**
     * {@inheritDoc}
     */
    public void visitLookupSwitchInsn(final Label dflt, final int[] keys, final Label[] labels)
    {
        final int[] keysCopy = keys.clone();
        final Label[] labelsCopy = labels.clone();
        events.add(mv -> mv.visitLookupSwitchInsn(dflt, keysCopy, labelsCopy));
    }

    /**
     * {@inheritDoc}
     */
    public void visitMultiANewArrayInsn(final String descriptor, final int numDimensions)
    {
        events.add(mv -> mv.visitMultiANewArrayInsn(descriptor, numDimensions));
    }

    /**
     * {@inheritDoc}
     */
    public AnnotationVisitor visitInsnAnnotation(
        final int typeRef, final TypePath typePath, final String descriptor, final boolean visible)
    {
        return null;
    }

    /**
     * {@inheritDoc}
     */
    public void visitTryCatchBlock(final Label start, final Label end, final Label handler, final String type)
    {
        events.add(mv -> mv.visitTryCatchBlock(start, end, handler, type));
    }

    /**
     * {@inheritDoc}
     */
    public AnnotationVisitor visitTryCatchAnnotation(
        final int typeRef, final TypePath typePath, final String descriptor, final boolean visible)
    {
        return null;
    }

    /**
     * {@inheritDoc}
     */
    public void visitLocalVariable(
        final String name,
        final String descriptor,
        final String signature,
        final Label start,
        final Label end,
        final int index)
    {
        events.add(mv -> mv.visitLocalVariable(name, descriptor, signature, start, end, index));
    }

    /**
     * {@inheritDoc}
     */
    public AnnotationVisitor visitLocalVariableAnnotation(
        final int typeRef,
        final TypePath typePath,
        final Label[] start,
        final Label[] end,
        final int[] index,
        final String descriptor,
        final boolean visible)
    {
        return null;
    }

    /**
     * {@inheritDoc}
     */
    public void visitLineNumber(final int line, final Label start)
    {
        events.add(mv -> mv.visitLineNumber(line, start));
    }

    /**
     * {@inheritDoc}
     */
    public void visitAttribute(final Attribute attribute)
    {
        if (recording)
        {
            events.add(mv -> mv.visitAttribute(attribute));
        }
        else
        {
            next.visitAttribute(attribute);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitMaxs(final int maxStack, final int maxLocals)
    {
        if (unchanged != null)
        {
            final CodeSizeEstimate estimate = new CodeSizeEstimate(api);
            for (final Consumer<MethodVisitor> event : events)
            {
                event.accept(estimate);
            }
            if (estimate.rewrittenBytes() > CodeSizeEstimate.LIMIT && !fits(rewriterForTarget, maxStack, maxLocals))
            {
                final boolean partly = fallbackForTarget != null && fits(fallbackForTarget, maxStack, maxLocals);
                tooLarge.report(estimate.rewrittenBytes(), partly);
                replay(partly ? fallbackForTarget.apply(unchanged, maxLocals) : unchanged, maxStack, maxLocals, true);
                return;
            }
        }
        replay(rewriterForMaxLocals.apply(maxLocals), maxStack, maxLocals, true);
    }

    private boolean fits(
        final BiFunction<MethodVisitor, Integer, MethodVisitor> chain, final int maxStack, final int maxLocals)
    {
        return fitsWhenRewritten.test(
            target -> replay(new FreshLabels(api, chain.apply(target, maxLocals)), maxStack, maxLocals, false));
    }

    /**
     * Told when a method is too large to rewrite whole.
     */
    @FunctionalInterface
    public interface TooLarge
    {
        /**
         * A method would exceed the JVM's code limit once rewritten.
         *
         * @param estimate its estimated rewritten size in bytes.
         * @param partly   true if it was rewritten by the fallback chain, false if it runs unrewritten.
         */
        void report(int estimate, boolean partly);
    }

    private void replay(final MethodVisitor rewriter, final int maxStack, final int maxLocals, final boolean last)
    {
        for (final Consumer<MethodVisitor> event : events)
        {
            event.accept(rewriter);
        }
        rewriter.visitMaxs(maxStack, maxLocals);
        if (last)
        {
            events.clear();
            recording = false;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitEnd()
    {
        next.visitEnd();
    }
}
