package io.splitheap.protocol.security;

import io.splitheap.protocol.exceptions.ConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The credential an operator provisions for a cluster: 32 random bytes in a file only its owner can read. Every
 * member (coordinator, memory and storage nodes, agents) proves that it holds it when it opens a link, and every key
 * the cluster uses is derived from it; the secret itself never travels. File format, one line:
 * <pre>
 * splitheap-secret-v1 &lt;64 hex digits&gt;
 * </pre>
 */
public final class ClusterSecret
{
    /**
     * Length of the secret in bytes.
     */
    public static final int LENGTH = 32;

    private static final String MAGIC = "splitheap-secret-v1";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] key;
    private final int keyId;
    private final String source;

    private ClusterSecret(final byte[] key, final String source)
    {
        this.key = key;
        this.source = source;
        final byte[] id = Hmac.compute(key, Hmac.label("splitheap key id"));
        this.keyId = (id[0] & 0xFF) << 24 | (id[1] & 0xFF) << 16 | (id[2] & 0xFF) << 8 | (id[3] & 0xFF);
    }

    /**
     * A new random secret.
     *
     * @return the secret.
     */
    public static ClusterSecret generate()
    {
        final byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        return new ClusterSecret(key, "generated");
    }

    /**
     * Reads a secret file, refusing one that others can read.
     *
     * @param file the file.
     * @return the secret.
     * @throws ConfigurationException naming the file and what is wrong with it.
     */
    public static ClusterSecret load(final Path file)
    {
        final String text;
        try
        {
            checkPermissions(file);
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigurationException("secret file " + file + " does not exist: create one with " +
                "'bin/splitheap secret --out " + file + "' and give the same file to every member");
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("cannot read secret file " + file + ": " + ex);
        }
        final String[] parts = text.split("\\s+");
        if (parts.length != 2 || !MAGIC.equals(parts[0]) || parts[1].length() != LENGTH * 2)
        {
            throw new ConfigurationException("secret file " + file + " is not a Splitheap secret (expected one line '" +
                MAGIC + " <" + LENGTH * 2 + " hex digits>'): create one with 'bin/splitheap secret --out PATH'");
        }
        try
        {
            return new ClusterSecret(HexFormat.of().parseHex(parts[1]), file.toString());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException("secret file " + file + " holds a malformed key: " + ex.getMessage());
        }
    }

    /**
     * Writes this secret to a new file that only its owner can read or write.
     *
     * @param file the file; must not exist.
     * @throws ConfigurationException if it exists or cannot be written.
     */
    public void write(final Path file)
    {
        try
        {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            final boolean posix = Files.getFileStore(parent).supportsFileAttributeView("posix");
            final FileAttribute<?>[] attributes = posix ?
                new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
            // one open that creates the file with its permissions: nothing can be swapped in between
            try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file,
                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes))
            {
                channel.write(java.nio.ByteBuffer.wrap(
                    (MAGIC + " " + HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new ConfigurationException("secret file " + file + " already exists: not overwritten (remove it " +
                "first, and give the new file to every member)");
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("cannot write secret file " + file + ": " + ex);
        }
    }

    /**
     * A public fingerprint of the secret: members put it in their handshakes so that a server can say that a client
     * holds another cluster's secret. Reveals nothing about the key.
     *
     * @return 32-bit fingerprint.
     */
    public int keyId()
    {
        return keyId;
    }

    /**
     * The fingerprint as text, for logs.
     *
     * @return 8 hex digits.
     */
    public String keyIdText()
    {
        return String.format("%08x", keyId);
    }

    /**
     * Where the secret came from, for messages.
     *
     * @return the file or "generated".
     */
    public String source()
    {
        return source;
    }

    /**
     * A key for one purpose, derived from the secret ({@code HMAC-SHA256(secret, label)}, HKDF-Expand with one
     * block): keys for different purposes are independent.
     *
     * @param purpose label of the purpose.
     * @return 32 bytes.
     */
    public byte[] derive(final String purpose)
    {
        return Hmac.compute(key, Hmac.label("splitheap " + purpose));
    }

    private static void checkPermissions(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.getFileStore(file).supportsFileAttributeView("posix"))
        {
            return;
        }
        // of the file itself, following a symbolic link (secrets are often mounted as links)
        final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        for (final PosixFilePermission permission : permissions)
        {
            if (!OWNER_ONLY.contains(permission))
            {
                throw new ConfigurationException("secret file " + file + " can be read or changed by others (" +
                    PosixFilePermissions.toString(permissions) + "): run 'chmod 600 " + file + "'");
            }
        }
    }
}
