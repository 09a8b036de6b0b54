package credit.exchange.routes.ingest;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** One pass over the file before import: its digest (keys the rejects), size, format, whether it is UTF-8. */
record FileFacts(byte[] digest, long size, boolean validUtf8, boolean json) {

    static FileFacts examine(Path file) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = Files.size(file);
            long nonAscii = 0;
            long undecodable = 0;
            int firstChar = -1;
            try (DigestInputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), sha);
                 InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                         .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE))) {
                char[] buffer = new char[1 << 15];
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        char c = buffer[i];
                        if (c >= 0x80) {
                            nonAscii++;
                            if (c == '\uFFFD') {
                                undecodable++;
                            }
                        }
                        if (firstChar < 0 && !Character.isWhitespace(c) && c != '\uFEFF') {
                            firstChar = c;
                        }
                    }
                }
            }
            // GBK read as UTF-8 fails on nearly every Chinese character; a UTF-8 file with a few
            // corrupt bytes fails on those alone, and stays UTF-8 (its corrupt rows are rejected).
            boolean utf8 = undecodable * 100 <= nonAscii;
            return new FileFacts(sha.digest(), size, utf8, firstChar == '[' || firstChar == '{');
        } catch (NoSuchFileException e) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "file not found: " + file);
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file's bytes after a UTF-8 byte order mark, if it has one. */
    static InputStream skipUtf8Bom(BufferedInputStream in, Charset charset) throws IOException {
        if (charset.equals(StandardCharsets.UTF_8)) {
            in.mark(3);
            byte[] head = in.readNBytes(3);
            if (!Arrays.equals(head, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})) {
                in.reset();
            }
        }
        return in;
    }
}
