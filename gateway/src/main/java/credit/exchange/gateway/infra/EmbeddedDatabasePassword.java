package credit.exchange.gateway.infra;

import credit.exchange.security.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The password of the embedded database's {@code postgres} role, kept in
 * {@code <node dir>/postgres.password} (mode 600): the node's own account reads it there, no other
 * local account can, so no other account can sign in to the database. It is generated once, when
 * the cluster is created or when a cluster of an earlier version (which trusted every local
 * connection) is first started, and never written anywhere else: not in a log, a message or a URL.
 */
final class EmbeddedDatabasePassword {

    static final String FILE_NAME = "postgres.password";

    private static final SecureRandom RANDOM = new SecureRandom();

    private EmbeddedDatabasePassword() {
    }

    static Path file(Path nodeDir) {
        return nodeDir.resolve(FILE_NAME);
    }

    /** The node's password, made now (256 random bits, 43 characters) if the node has none yet. */
    static String readOrCreate(Path nodeDir) throws IOException {
        Path file = file(nodeDir);
        if (!Files.exists(file)) {
            OwnerOnlyFiles.create(file, Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes()));
        }
        return read(nodeDir);
    }

    /** The node's password; a clear message (never the password) when the file is missing or unreadable. */
    static String read(Path nodeDir) throws IOException {
        Path file = file(nodeDir);
        try {
            OwnerOnlyFiles.restrict(file);
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IOException("the embedded database's password file " + file + " is empty");
            }
            return password;
        } catch (NoSuchFileException e) {
            throw new IOException("the embedded database's password file " + file + " is missing: the database was set up "
                    + "with it, restore it from the backup of this data directory", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read the embedded database's password file " + file
                    + ": run the command as the account that runs the node", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
