package io.splitheap.protocol.security;

import io.splitheap.protocol.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSecretTest
{
    @TempDir
    Path temp;

    @Test
    void shouldWriteAFileOnlyItsOwnerCanReadAndLoadTheSameKeys() throws Exception
    {
        final ClusterSecret secret = ClusterSecret.generate();
        final Path file = temp.resolve("dir/cluster.secret");
        secret.write(file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        final ClusterSecret loaded = ClusterSecret.load(file);
        assertEquals(secret.keyId(), loaded.keyId());
        assertArrayEquals(secret.derive("handshake"), loaded.derive("handshake"));
        assertFalse(Files.readString(file).contains(secret.keyIdText()), "the file holds the key, not the id");
    }

    @Test
    void shouldDeriveIndependentKeysPerPurposeAndPerSecret()
    {
        final ClusterSecret one = ClusterSecret.generate();
        final ClusterSecret other = ClusterSecret.generate();
        assertNotEquals(java.util.Arrays.toString(one.derive("handshake")),
            java.util.Arrays.toString(one.derive("session")));
        assertNotEquals(java.util.Arrays.toString(one.derive("handshake")),
            java.util.Arrays.toString(other.derive("handshake")));
        assertNotEquals(one.keyId(), other.keyId());
    }

    @Test
    void shouldNotOverwriteAnExistingFile()
    {
        final Path file = temp.resolve("cluster.secret");
        ClusterSecret.generate().write(file);
        final String message = assertThrows(ConfigurationException.class,
            () -> ClusterSecret.generate().write(file)).getMessage();
        assertTrue(message.contains("already exists"), message);
    }

    @Test
    void shouldRefuseFilesOthersCanReadOrThatAreNotSecrets() throws Exception
    {
        final Path open = temp.resolve("open.secret");
        ClusterSecret.generate().write(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
        assertTrue(assertThrows(ConfigurationException.class, () -> ClusterSecret.load(open)).getMessage()
            .contains("chmod 600 " + open));

        final Path garbage = temp.resolve("garbage.secret");
        Files.writeString(garbage, "hello\n");
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
        assertTrue(assertThrows(ConfigurationException.class, () -> ClusterSecret.load(garbage)).getMessage()
            .contains("is not a Splitheap secret"));

        final Path missing = temp.resolve("missing.secret");
        assertTrue(assertThrows(ConfigurationException.class, () -> ClusterSecret.load(missing)).getMessage()
            .contains("bin/splitheap secret --out " + missing));
    }
}
