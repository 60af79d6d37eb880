package io.splitheap.agent.backend;

import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

/**
 * A request answered by a plain acknowledgement (or an error).
 */
final class AckRequest extends PendingRequest
{
    AckRequest(final long correlationId, final String description, final PageBackend.Completion completion)
    {
        super(correlationId, description, completion);
    }

    void handle(final int templateId, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder hdr)
    {
    }
}
