package io.splitheap.protocol.transport;

import org.w3c.dom.Element;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import static io.splitheap.protocol.transport.SchemaTypes.children;

/**
 * The messages of the SBE schema on the class path, as a tree of members in schema order, so that tests cover every
 * template the schema has, including ones added later.
 */
public final class SchemaModel
{
    public enum Kind
    {
        FIELD, GROUP, DATA
    }

    public record Member(Kind kind, String name, List<Member> members)
    {
    }

    public record Message(String name, int id, List<Member> members)
    {
        @Override
        public String toString()
        {
            return name + "(" + id + ")";
        }
    }

    private static final List<Message> MESSAGES = parse();

    private SchemaModel()
    {
    }

    public static List<Message> messages()
    {
        return MESSAGES;
    }

    static Message byId(final int templateId)
    {
        for (final Message message : MESSAGES)
        {
            if (message.id() == templateId)
            {
                return message;
            }
        }
        throw new IllegalArgumentException("templateId=" + templateId + " not in the schema");
    }

    private static List<Message> parse()
    {
        try (InputStream in = SchemaModel.class.getResourceAsStream("/splitheap-codecs.xml"))
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(true);
            final Element schema = factory.newDocumentBuilder().parse(in).getDocumentElement();
            final List<Message> messages = new ArrayList<>();
            for (final Element child : children(schema))
            {
                if ("message".equals(child.getLocalName()))
                {
                    messages.add(new Message(
                        child.getAttribute("name"), Integer.parseInt(child.getAttribute("id")), members(child)));
                }
            }
            return List.copyOf(messages);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot read the schema", ex);
        }
    }

    private static List<Member> members(final Element container)
    {
        final List<Member> members = new ArrayList<>();
        for (final Element child : children(container))
        {
            final Kind kind = Kind.valueOf(child.getLocalName().toUpperCase());
            members.add(new Member(
                kind, child.getAttribute("name"), Kind.GROUP == kind ? members(child) : List.of()));
        }
        return List.copyOf(members);
    }
}
