package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An {@link AllianceCa}'s state on disk, one directory per CA (the layout is in {@link AllianceCa}'s description). */
final class CaDirectory {

    static final String KEY_FILE = "ca.key.pem";
    static final String CERT_FILE = "ca.cert.pem";
    static final String ISSUED_FILE = "issued.txt";
    static final String REVOKED_FILE = "revoked.txt";
    static final String CRL_NUMBER_FILE = "crlnumber";
    static final String CRL_FILE = "crl.pem";
    static final String CRL_URLS_FILE = "crl-urls.txt";

    private CaDirectory() {
    }

    /** Loads a CA saved by {@link #save}; see {@link AllianceCa#load(Path, char[], Clock)}. */
    static AllianceCa load(Path dir, char[] passphrase, Clock clock) throws IOException {
        X509Certificate certificate = PemFiles.readCertificate(dir.resolve(CERT_FILE));
        if (certificate.getBasicConstraints() < 0) {
            throw new CodedException(ErrorCode.E_MALFORMED, dir.resolve(CERT_FILE) + " is not a CA certificate");
        }
        Suite suite = Suite.ofKey(certificate.getPublicKey()).orElseThrow(() -> new CodedException(ErrorCode.E_MALFORMED,
                dir.resolve(CERT_FILE) + " holds a key of neither suite"));
        PrivateKey key = PemFiles.readPrivateKey(dir.resolve(KEY_FILE), passphrase);
        requireKeyPair(suite, key, certificate.getPublicKey(), dir.resolve(KEY_FILE));

        Map<BigInteger, AllianceCa.Issued> issued = new TreeMap<>();
        for (String[] f : readTable(dir.resolve(ISSUED_FILE))) {
            BigInteger serial = new BigInteger(f[0], 16);
            issued.put(serial, new AllianceCa.Issued(serial, f[2], Instant.parse(f[1])));
        }
        Map<BigInteger, AllianceCa.Revoked> revoked = new TreeMap<>();
        for (String[] f : readTable(dir.resolve(REVOKED_FILE))) {
            BigInteger serial = new BigInteger(f[0], 16);
            RevocationReason reason;
            try {
                reason = RevocationReason.valueOf(f[2]);
            } catch (IllegalArgumentException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, dir.resolve(REVOKED_FILE) + " names an unknown revocation reason");
            }
            revoked.put(serial, new AllianceCa.Revoked(serial, Instant.parse(f[1]), reason));
        }
        BigInteger nextCrlNumber = BigInteger.ONE;
        Path crlNumberFile = dir.resolve(CRL_NUMBER_FILE);
        if (Files.exists(crlNumberFile)) {
            try {
                nextCrlNumber = new BigInteger(Files.readString(crlNumberFile, StandardCharsets.US_ASCII).trim());
            } catch (NumberFormatException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, crlNumberFile + " does not hold a number");
            }
        }
        Path crlFile = dir.resolve(CRL_FILE);
        X509CRL crl = Files.exists(crlFile) ? PemFiles.readCrl(crlFile) : null;
        AllianceCa ca = new AllianceCa(suite, key, certificate, clock, issued, revoked, nextCrlNumber, crl);
        Path crlUrlsFile = dir.resolve(CRL_URLS_FILE);
        if (Files.exists(crlUrlsFile)) {
            List<URI> urls = new ArrayList<>();
            for (String line : Files.readAllLines(crlUrlsFile, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    try {
                        urls.add(new URI(line.trim()));
                    } catch (java.net.URISyntaxException e) {
                        throw new CodedException(ErrorCode.E_MALFORMED, crlUrlsFile + " holds a line that is no URL");
                    }
                }
            }
            ca.publishCrlAt(urls);
        }
        return ca;
    }

    /** Saves a CA's state; see {@link AllianceCa#save}. */
    static void save(Path dir, char[] passphrase, PrivateKey key, X509Certificate certificate, Collection<AllianceCa.Issued> issued,
                     Collection<AllianceCa.Revoked> revoked, BigInteger nextCrlNumber, X509CRL latestCrl, List<URI> crlUrls)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder issuedText = new StringBuilder("# serial(hex)\tnotAfter\tnodeId\n");
        for (AllianceCa.Issued i : issued) {
            issuedText.append(i.serial().toString(16)).append('\t').append(i.notAfter()).append('\t').append(i.nodeId()).append('\n');
        }
        StringBuilder revokedText = new StringBuilder("# serial(hex)\trevokedAt\treason\n");
        for (AllianceCa.Revoked r : revoked) {
            revokedText.append(r.serial().toString(16)).append('\t').append(r.revokedAt()).append('\t').append(r.reason()).append('\n');
        }
        PemFiles.writeAtomically(dir.resolve(ISSUED_FILE), issuedText.toString().getBytes(StandardCharsets.UTF_8), false);
        PemFiles.writeAtomically(dir.resolve(REVOKED_FILE), revokedText.toString().getBytes(StandardCharsets.UTF_8), false);
        PemFiles.writeAtomically(dir.resolve(CRL_NUMBER_FILE), (nextCrlNumber + "\n").getBytes(StandardCharsets.US_ASCII), false);
        if (latestCrl != null) {
            PemFiles.writeCrl(dir.resolve(CRL_FILE), latestCrl);
        }
        if (!crlUrls.isEmpty()) {
            StringBuilder urls = new StringBuilder("# where this CA's CRL is published; node certificates name these URLs\n");
            crlUrls.forEach(u -> urls.append(u).append('\n'));
            PemFiles.writeAtomically(dir.resolve(CRL_URLS_FILE), urls.toString().getBytes(StandardCharsets.UTF_8), false);
        } else {
            Files.deleteIfExists(dir.resolve(CRL_URLS_FILE));
        }
        PemFiles.writeCertificate(dir.resolve(CERT_FILE), certificate);
        PemFiles.writePrivateKey(dir.resolve(KEY_FILE), key, passphrase);
    }

    private static void requireKeyPair(Suite suite, PrivateKey key, PublicKey publicKey, Path keyFile) {
        if (!suite.keysMatch(key, publicKey)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the key in " + keyFile + " does not belong to the CA certificate");
        }
    }

    /** Rows of a tab-separated state file: serial (hex), instant (ISO-8601), one more value. */
    private static List<String[]> readTable(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            try {
                if (fields.length != 3 || fields[2].isEmpty()) {
                    throw new IllegalArgumentException();
                }
                new BigInteger(fields[0], 16);
                Instant.parse(fields[1]);
                rows.add(fields);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, file + " line " + (i + 1) + " is not serial TAB time TAB value");
            }
        }
        return rows;
    }
}
