package io.splitheap.agent.backend;

import io.splitheap.protocol.codecs.ErrorResponseDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.exceptions.RemoteException;
import org.agrona.DirectBuffer;

import java.util.function.BooleanSupplier;

/**
 * A request waiting for its reply. The reply is handled on whichever thread polls the transport; the waiter (or
 * the completion of an asynchronous request) then sees {@link #isDone()}, which is also what the request answers as a
 * condition to wait for. A synchronous request may be {@link #reset} and sent again once it is done or given up.
 */
abstract class PendingRequest implements BooleanSupplier
{
    long correlationId;
    long startedNs;
    final String description;
    private final PageBackend.Completion completion;
    private volatile boolean done;
    private volatile Throwable error;

    PendingRequest(
        final long correlationId, final String description, final PageBackend.Completion completion)
    {
        this.correlationId = correlationId;
        this.description = description;
        this.completion = completion;
        this.startedNs = System.nanoTime();
    }

    /**
     * Makes the request new again under another correlation id (only while no reply can reach it: it is done, or it
     * was unregistered).
     *
     * @param correlationId the new id.
     */
    final void reset(final long correlationId)
    {
        this.correlationId = correlationId;
        this.startedNs = System.nanoTime();
        this.error = null;
        this.done = false;
    }

    /**
     * Whether the reply was handled (or the request failed).
     *
     * @return {@link #isDone()}.
     */
    public final boolean getAsBoolean()
    {
        return done;
    }

    /**
     * Handles the reply (called with the poll lock held).
     *
     * @param templateId reply template.
     * @param buffer     reply buffer.
     * @param offset     where its header starts.
     * @param header     a header decoder positioned on it.
     */
    final void onReply(
        final int templateId, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
    {
        Throwable failure = null;
        try
        {
            if (templateId == ErrorResponseDecoder.TEMPLATE_ID)
            {
                final ErrorResponseDecoder decoder = new ErrorResponseDecoder();
                decoder.wrapAndApplyHeader(buffer, offset, header);
                failure = new RemoteException(decoder.code(), decoder.nodeId(), decoder.address(), decoder.message());
            }
            else
            {
                handle(templateId, buffer, offset, header);
            }
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        complete(failure);
    }

    /**
     * Decodes a successful reply.
     *
     * @param templateId reply template.
     * @param buffer     reply buffer.
     * @param offset     where its header starts.
     * @param header     a header decoder positioned on it.
     */
    abstract void handle(int templateId, DirectBuffer buffer, int offset, MessageHeaderDecoder header);

    final void complete(final Throwable failure)
    {
        error = failure;
        done = true;
        if (completion != null)
        {
            completion.complete(failure);
        }
    }

    final boolean completionIsAsync()
    {
        return completion != null;
    }

    final boolean isDone()
    {
        return done;
    }

    final Throwable error()
    {
        return error;
    }
}
