package io.splitheap.protocol.transport;

import io.splitheap.protocol.codecs.ConnectDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the validator's shapes are read from the schema: safely, and only if the generated decoders agree.
 */
class SchemaShapesTest
{
    private static final String PACKAGE = MessageHeaderDecoder.class.getPackageName();

    @Test
    void shouldMatchTheGeneratedDecodersForTheShippedSchema() throws Exception
    {
        final SchemaShapes shapes = SchemaShapes.load(new ByteArrayInputStream(schema()), PACKAGE);

        assertEquals(MessageHeaderDecoder.SCHEMA_ID, shapes.schemaId);
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH, shapes.headerLength);
        assertEquals(SchemaModel.messages().size(), shapes.templateIds.length);
    }

    @Test
    void shouldFailLoudlyWhenTheDecodersDisagreeWithTheSchema() throws Exception
    {
        final String changed = new String(schema(), StandardCharsets.UTF_8).replace(
            "name=\"replyStreamId\" id=\"2\" type=\"int32\"", "name=\"replyStreamId\" id=\"2\" type=\"int64\"");
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> SchemaShapes.load(new ByteArrayInputStream(changed.getBytes(StandardCharsets.UTF_8)), PACKAGE));

        assertTrue(ex.getMessage().contains("ConnectDecoder.BLOCK_LENGTH: schema=" + (ConnectDecoder.BLOCK_LENGTH + 4) +
            " decoder=" + ConnectDecoder.BLOCK_LENGTH), ex.getMessage());
    }

    @Test
    void shouldRefuseADoctypeSoNoExternalEntityIsRead()
    {
        final String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n" +
            "<sbe:messageSchema xmlns:sbe=\"http://fixprotocol.io/2016/sbe\" id=\"1\">&x;</sbe:messageSchema>";
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> SchemaShapes.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), PACKAGE));

        assertTrue(ex.getMessage().contains("DOCTYPE"), ex.getMessage());
    }

    private static byte[] schema() throws Exception
    {
        try (InputStream in = SchemaShapesTest.class.getResourceAsStream("/splitheap-codecs.xml"))
        {
            return in.readAllBytes();
        }
    }
}
