package credit.exchange.routes.ingest;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files the ingest flow leaves on disk (rejects, failed department files, uploads while they are
 * imported) hold what departments sent, personal data included: they are created readable by the
 * node's user only ({@code rw-------}) in directories only it can enter ({@code rwx------}). On a
 * file system without POSIX permissions the calls do what they can and no more.
 */
final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /** Creates the directory, and any missing parents, owner-only; an existing directory is made so too. */
    static Path directory(Path dir) throws IOException {
        Path absolute = createMissing(dir);
        restrict(absolute, DIRECTORY);
        return absolute;
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
                // made meanwhile by another import
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(absolute);
            }
        }
        return absolute;
    }

    /**
     * A new (or emptied) UTF-8 text file, owner-only from its first byte; missing directories above
     * it are created owner-only (an existing one, which may be an operator's own, is left alone).
     */
    static Writer newWriter(Path file) throws IOException {
        createMissing(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, attribute(FILE));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Copies a file into an owner-only directory, the copy owner-only too. */
    static Path copyInto(Path file, Path dir, String name) throws IOException {
        Path target = directory(dir).resolve(name);
        Files.deleteIfExists(target);
        try {
            Files.createFile(target, attribute(FILE));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(target);
        }
        try (var out = Files.newOutputStream(target, StandardOpenOption.TRUNCATE_EXISTING)) {
            Files.copy(file, out);
        }
        return target;
    }

    /** Makes an existing tree owner-only: directories rwx------, files rw-------. Absent: nothing to do. */
    static void restrictTree(Path root) throws IOException {
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
