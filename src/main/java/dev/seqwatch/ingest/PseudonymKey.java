package dev.seqwatch.ingest;

import dev.seqwatch.common.UserFacingException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a pseudonymisation key file ({@code --pseudonymise-key-file}): a regular file of 16 to
 * {@value #MAX_BYTES} bytes. At most {@value #MAX_BYTES}&nbsp;+&nbsp;1 bytes are ever read, and a device,
 * pipe or directory is refused before it is opened (so {@code /dev/zero} cannot fill the heap).
 */
public final class PseudonymKey {
    public static final int MIN_BYTES = 16;
    public static final int MAX_BYTES = 4096;

    private PseudonymKey() {
    }

    public static byte[] read(Path file) {
        String what = "--pseudonymise-key-file " + file;
        if (!Files.exists(file)) {
            throw new UserFacingException(what + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new UserFacingException(what + ": is a directory, not a key file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException(what + ": is not a regular file (a device or a pipe?); the key must be a file "
                    + "of " + MIN_BYTES + " to " + MAX_BYTES + " bytes");
        }
        byte[] key;
        try (InputStream in = Files.newInputStream(file)) {
            key = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new UserFacingException(what + ": no such file", e);
        } catch (IOException e) {
            throw new UserFacingException(what + ": cannot read: " + e.getMessage(), e);
        }
        if (key.length > MAX_BYTES) {
            throw new UserFacingException(what + ": the file has more than " + MAX_BYTES + " bytes; a key is " + MIN_BYTES
                    + " to " + MAX_BYTES + " random bytes (e.g. head -c 32 /dev/urandom > key)");
        }
        if (key.length < MIN_BYTES) {
            throw new UserFacingException(what + ": the key has " + key.length
                    + " bytes; use at least 16 random bytes (e.g. head -c 32 /dev/urandom > key)");
        }
        return key;
    }
}
