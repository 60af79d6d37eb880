package io.splitheap.systemtests;

import io.splitheap.protocol.KnownProperties;
import io.splitheap.testsupport.ProjectPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The list of properties the agent accepts holds exactly the {@code splitheap.*} names the main sources read, so a
 * new setting cannot be refused as unknown and a mistyped one cannot pass.
 */
class KnownPropertiesIT
{
    private static final Pattern NAME = Pattern.compile("\"(splitheap\\.[a-z][a-z.]*[a-z])\"");

    @Test
    void shouldListEveryPropertyTheSourcesName() throws Exception
    {
        final Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ProjectPaths.root().toPath()))
        {
            for (final Path file : (Iterable<Path>)files.filter(p -> p.toString().endsWith(".java") &&
                p.toString().contains("/src/main/java/") && !p.toString().contains("/target/"))::iterator)
            {
                final Matcher matcher = NAME.matcher(Files.readString(file));
                while (matcher.find())
                {
                    named.add(matcher.group(1));
                }
            }
        }
        assertEquals(named, new TreeSet<>(KnownProperties.NAMES));
    }
}
