package credit.exchange.security;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * The node's files that only its own account may read: secrets (the embedded database's password,
 * the metrics scrape token) and what departments sent (rejects, failed files, uploads while they are
 * imported, personal data included). Files are {@code rw-------} from their first byte, directories
 * {@code rwx------}; a whole file is written to a temporary file of that mode and put in place in
 * one step, so no other account can read it even for a moment and no reader sees half of one. On a
 * file system without POSIX permissions the calls do what they can and no more.
 */
public final class OwnerOnlyFiles {

    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /** Writes a new file; fails with {@link java.nio.file.FileAlreadyExistsException} if one is there already. */
    public static void create(Path file, String content) throws IOException {
        Path tmp = written(file, content);
        try {
            Files.createLink(file, tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** Writes the file, replacing any earlier one (whatever its mode was). */
    public static void replace(Path file, String content) throws IOException {
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
    public static void restrict(Path file) throws IOException {
        restrict(file, FILE);
    }

    /** Creates the directory, and any missing parents, owner-only; an existing directory is made so too. */
    public static Path directory(Path dir) throws IOException {
        Path absolute = createMissing(dir);
        restrict(absolute, DIRECTORY);
        return absolute;
    }

    /**
     * A new (or emptied) UTF-8 text file, owner-only from its first byte; missing directories above
     * it are created owner-only (an existing one, which may be an operator's own, is left alone).
     */
    public static Writer newWriter(Path file) throws IOException {
        createMissing(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        createFile(file);
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Copies a file into an owner-only directory, the copy owner-only too. */
    public static Path copyInto(Path file, Path dir, String name) throws IOException {
        Path target = directory(dir).resolve(name);
        Files.deleteIfExists(target);
        createFile(target);
        try (var out = Files.newOutputStream(target, StandardOpenOption.TRUNCATE_EXISTING)) {
            Files.copy(file, out);
        }
        return target;
    }

    /** Makes an existing tree owner-only: directories rwx------, files rw-------. Absent: nothing to do. */
    public static void restrictTree(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                restrict(dir, DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    restrict(file, FILE);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Creates the directory and any missing parents owner-only; existing ones are left as they are. */
    private static Path createMissing(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            Path parent = absolute.getParent();
            if (parent != null) {
                createMissing(parent);
            }
            try {
                Files.createDirectory(absolute, attribute(DIRECTORY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile by another process or import
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(absolute);
            }
        }
        return absolute;
    }

    private static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, attribute(FILE));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    private static Path written(Path file, String content) throws IOException {
        createMissing(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        createFile(tmp);
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            Files.delete(tmp);
            throw e;
        }
        return tmp;
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(path).equals(permissions)) {
                Files.setPosixFilePermissions(path, permissions);
            }
        } catch (UnsupportedOperationException notPosix) {
            // the file system has no POSIX modes
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
