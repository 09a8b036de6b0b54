package credit.exchange.gateway.infra;

import credit.exchange.security.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The token a metrics scraper presents for {@code /metrics} ({@code Authorization: Bearer …};
 * Prometheus: {@code authorization.credentials_file}). Made at the node's first start, 256 random
 * bits in a file only the node's account can read ({@code gateway.metrics.token-file}, default
 * {@code <node dir>/keys/metrics.token}); an operator replaces it by writing another.
 */
public final class ScrapeToken {

    private ScrapeToken() {
    }

    /** The token in the file, made first if there is none. */
    public static String loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            try {
                OwnerOnlyFiles.create(file, HexFormat.of().formatHex(random) + "\n");
            } catch (FileAlreadyExistsException raced) {
                // another process of this node made it first: use theirs
            }
        }
        OwnerOnlyFiles.restrict(file);
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (token.length() < 32) {
            throw new IllegalArgumentException("gateway.metrics.token-file " + file + " holds fewer than 32 characters; write a longer token");
        }
        return token;
    }
}
