package credit.exchange.gateway.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Small files of the node that only its own account may read ({@code rw-------}): the embedded
 * database's password and port. Each is written in full to a temporary file created with that mode,
 * then put in place in one step, so no other account can read it even for a moment and no reader
 * ever sees half of one.
 */
final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Writes a new file; fails with {@link java.nio.file.FileAlreadyExistsException} if one is there already. */
    static void create(Path file, String content) throws IOException {
        Path tmp = written(file, content);
        try {
            Files.createLink(file, tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** Writes the file, replacing any earlier one (whatever its mode was). */
    static void replace(Path file, String content) throws IOException {
        Path tmp = written(file, content);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Takes read and write away from everyone but the owner, for a file an earlier version or a person left open. */
    static void restrict(Path file) throws IOException {
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static Path written(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            Files.delete(tmp);
            throw e;
        }
        return tmp;
    }
}
