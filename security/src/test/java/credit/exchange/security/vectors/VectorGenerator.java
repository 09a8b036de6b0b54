package credit.exchange.security.vectors;

import static credit.exchange.security.vectors.VectorPki.CITY;
import static credit.exchange.security.vectors.VectorPki.PROVINCE;
import static credit.exchange.security.vectors.VectorPki.REVOKED;

import credit.exchange.security.Suite;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.ExchangeAttributes;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.InMemoryReplayGuard;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.gm.GmAlgorithms;
import credit.exchange.security.gm.Sm2KeyTransRecipient;
import credit.exchange.security.gm.Sm2KeyTransRecipientInfoGenerator;
import credit.exchange.security.gm.Sm2Keys;
import credit.exchange.security.gm.Sm2SigningKey;
import credit.exchange.security.gm.Sm4CbcContentEncryptor;
import credit.exchange.security.pki.AllianceCa;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.PemFiles;
import credit.exchange.security.pki.Providers;
import credit.exchange.security.pki.RevocationReason;
import credit.exchange.security.vectors.VectorManifest.Case;
import credit.exchange.security.vectors.VectorManifest.Headers;
import credit.exchange.security.vectors.VectorManifest.ReceiptFields;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the test vectors of docs/vectors/ with the node's own code ({@link Envelopes},
 * {@link Checkpoint}, {@link AllianceCa}). A run keeps every file that exists — the test PKI
 * (keys, certificates, CRL) and each vector — and makes only what is missing, then rewrites
 * vectors.json: adding a vector leaves the others byte for byte. Signatures and encryption are
 * randomised, so a file made anew has other bytes; the files in git are the vectors. Every case is
 * opened with the node's code before the manifest is written, so a run cannot write a vector whose
 * expected result the node does not give.
 *
 * <p>Run: {@code mvn -B -o -pl security -Dtest=VectorGenerator -Dvectors.regenerate=true
 * -Dfuzz.skip=true -Dsurefire.failIfNoSpecifiedTests=false test} (docs/vectors/README.md), with
 * {@code -Dvectors.dir=DIR} to write elsewhere.
 */
class VectorGenerator {

    /** When the test PKI was made: the CA, node certificates and CRL date from here. */
    private static final Instant PKI_MADE = Instant.parse("2026-01-01T00:00:00Z");
    /** Twenty years: the vectors stay usable until 2046. */
    private static final Duration PKI_VALIDITY = Duration.between(PKI_MADE, Instant.parse("2046-01-01T00:00:00Z"));
    /** The first message is signed at T0; each later one a few seconds after. */
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    /** Where every vector is opened, within ±300 s of every signing time. */
    private static final Instant OPEN_AT = T0.plusSeconds(60);
    /** Ten minutes after the query was signed: outside the ±300 s window. */
    private static final Instant STALE_AT = T0.plusSeconds(600);

    private static final AlgorithmIdentifier SM3_NULL = new AlgorithmIdentifier(GmAlgorithms.SM3, DERNull.INSTANCE);

    private static final String USCC = "91330100716105852F";
    private static final String RECORD = "{\"category\":\"penalty\",\"classification\":\"A\",\"uscc\":\"" + USCC + "\","
            + "\"partyName\":\"向量测试企业有限公司\",\"documentNumber\":\"杭向量罚〔2026〕1号\",\"version\":1,"
            + "\"decisionDate\":\"2026-11-02\",\"status\":\"ACTIVE\",\"authority\":\"vector-city market supervision bureau\","
            + "\"content\":\"test vector record\"}";

    @Test
    @EnabledIfSystemProperty(named = "vectors.regenerate", matches = "true")
    void regenerate() throws Exception {
        main(new String[] {System.getProperty("vectors.dir", VectorsTest.VECTORS.toString())});
    }

    public static void main(String[] args) throws Exception {
        Path vectors = Path.of(args.length > 0 ? args[0] : "docs/vectors");
        Map<String, VectorManifest.Pki> pki = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        for (Suite suite : List.of(Suite.INTL, Suite.GM)) {
            if (!Files.exists(VectorPki.pkiDir(vectors, suite).resolve("ca.cert.pem"))) {
                makePki(vectors, suite);
            }
            VectorPki loaded = VectorPki.load(vectors, suite);
            pki.put(suite.name(), describe(loaded));
            cases.addAll(new SuiteVectors(vectors, loaded).write());
        }
        cases.addAll(crossSuite());
        VectorManifest manifest = new VectorManifest(1, "Test vectors of the alliance exchange protocol (docs/protocol.md);"
                + " test material only: every key here is public. docs/vectors/README.md says how to use them.", pki, cases);
        for (Case c : cases) {
            VectorsTest.check(vectors, c, manifest); // the node gives what the manifest says, or nothing is written
        }
        Files.writeString(vectors.resolve("vectors.json"), VectorManifest.JSON.writeValueAsString(manifest) + "\n");
        System.out.println("wrote " + cases.size() + " cases to " + vectors.resolve("vectors.json"));
    }

    /** An alliance test CA of the suite, the three vector nodes, and a CRL revoking vector-revoked. */
    private static void makePki(Path vectors, Suite suite) throws IOException {
        Path dir = VectorPki.pkiDir(vectors, suite);
        Files.createDirectories(dir);
        AllianceCa ca = AllianceCa.init(suite, "Vector Alliance " + suite + " Test CA", PKI_VALIDITY,
                Clock.fixed(PKI_MADE.plus(AllianceCa.BACKDATE), ZoneOffset.UTC));
        for (String node : VectorPki.NODES) {
            NodeCredentials credentials = ca.issueNode(node, PKI_VALIDITY.minus(AllianceCa.BACKDATE));
            VectorPki.writeKey(dir.resolve(node + ".key.pem"), credentials.privateKey());
            PemFiles.writeCertificate(dir.resolve(node + ".cert.pem"), credentials.certificate());
            if (node.equals(REVOKED)) {
                ca.revoke(credentials.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE);
            }
        }
        PemFiles.writeCertificate(dir.resolve("ca.cert.pem"), ca.certificate());
        PemFiles.writeCrl(dir.resolve("crl.pem"), ca.crl(PKI_VALIDITY.minus(AllianceCa.BACKDATE)));
    }

    private static VectorManifest.Pki describe(VectorPki pki) throws IOException {
        String base = VectorPki.suiteDir(pki.suite) + "/pki/";
        Map<String, VectorManifest.Node> nodes = new LinkedHashMap<>();
        List<String> revoked = new ArrayList<>();
        for (String id : VectorPki.NODES) {
            X509Certificate certificate = pki.node(id).certificate();
            nodes.put(id, new VectorManifest.Node(base + id + ".key.pem", base + id + ".cert.pem",
                    certificate.getSerialNumber().toString(16)));
            if (pki.crl.isRevoked(certificate)) {
                revoked.add(id);
            }
        }
        return new VectorManifest.Pki(base + "ca.cert.pem", base + "crl.pem", pki.ca.getNotBefore().toInstant().toString(),
                pki.ca.getNotAfter().toInstant().toString(), revoked, nodes);
    }

    /** Each suite's query opened by a node of the other suite. */
    private static List<Case> crossSuite() {
        List<Case> cases = new ArrayList<>();
        for (Suite opener : List.of(Suite.INTL, Suite.GM)) {
            Suite other = opener == Suite.INTL ? Suite.GM : Suite.INTL;
            String file = VectorPki.suiteDir(other) + "/query.p7m";
            cases.add(new Case(VectorPki.suiteDir(opener) + "/other-suite", file, "envelope",
                    "the " + other + " query opened by the " + opener + " city: an envelope of the other suite",
                    opener.name(), PROVINCE, CITY, CITY, OPEN_AT.toString(), null, "E_SUITE_MISMATCH", null, null, null, null, null));
        }
        return cases;
    }

    /** The vectors of one suite. */
    private static final class SuiteVectors {

        private final Path vectors;
        private final VectorPki pki;
        private final String dir;
        private final NodeCredentials city;
        private final NodeCredentials province;
        private final NodeCredentials revoked;
        private final List<Case> cases = new ArrayList<>();

        SuiteVectors(Path vectors, VectorPki pki) throws IOException {
            this.vectors = vectors;
            this.pki = pki;
            this.dir = VectorPki.suiteDir(pki.suite);
            this.city = pki.node(CITY);
            this.province = pki.node(PROVINCE);
            this.revoked = pki.node(REVOKED);
            Files.createDirectories(vectors.resolve(dir).resolve("tampered"));
        }

        List<Case> write() throws IOException {
            String s = pki.suite.name();

            // query, its answer and the receipt of the query
            String query = "{\"uscc\":\"" + USCC + "\",\"requestedBy\":\"officer-1@vector-province\",\"purpose\":\"test vector\"}";
            ExchangeHeaders queryHeaders = headers("query", PROVINCE, CITY, "query", null, 0);
            byte[] queryEnvelope = envelope("query", () -> seal(province, queryHeaders, query, city),
                    "a query (§10) from the province to the city", queryHeaders, query, "OK");

            String answer = "{\"status\":\"ANSWERED\",\"uscc\":\"" + USCC + "\",\"truncated\":false,\"records\":[" + RECORD + "]}";
            ExchangeHeaders answerHeaders = headers("query-answer", CITY, PROVINCE, "query-answer", queryHeaders.messageId(), 1);
            envelope("query-answer", () -> seal(city, answerHeaders, answer, province), "the city's answer to the query",
                    answerHeaders, answer, "OK");

            Receipt queryReceipt = receipt(queryHeaders, queryEnvelope, CITY, T0.plusSeconds(1));
            byte[] signedQueryReceipt = receipt("query.receipt", () -> envelopes(city, T0.plusSeconds(1)).signReceipt(queryReceipt),
                    "query", queryReceipt, "the city's signed receipt (§4) of query.p7m", "OK");

            // provincial pull, its batch, the puller's receipt of the batch, the acknowledgement carrying it
            String pull = "{\"max\":1000}";
            ExchangeHeaders pullHeaders = headers("pull", PROVINCE, CITY, "pull", null, 10);
            envelope("pull", () -> seal(province, pullHeaders, pull, city), "a provincial pull (§11)", pullHeaders, pull, "OK");

            String batch = "{\"messages\":[{\"messageId\":\"vector-city:outbox:1\",\"record\":" + RECORD + "}]}";
            ExchangeHeaders batchHeaders = headers("pull-answer", CITY, PROVINCE, "pull-answer", pullHeaders.messageId(), 11);
            byte[] batchEnvelope = envelope("pull-answer", () -> seal(city, batchHeaders, batch, province),
                    "the city's pull answer: a batch of one delivery", batchHeaders, batch, "OK");

            Receipt batchReceipt = receipt(batchHeaders, batchEnvelope, PROVINCE, T0.plusSeconds(12));
            byte[] signedBatchReceipt = receipt("pull-answer.receipt",
                    () -> envelopes(province, T0.plusSeconds(12)).signReceipt(batchReceipt), "pull-answer", batchReceipt,
                    "the province's signed receipt of pull-answer.p7m, the one acknowledge.p7m carries (§11)", "OK");

            String ack = "{\"batch\":\"" + pullHeaders.messageId() + "\",\"messageIds\":[\"vector-city:outbox:1\"],\"receipt\":\""
                    + Base64.getEncoder().encodeToString(signedBatchReceipt) + "\"}";
            ExchangeHeaders ackHeaders = headers("acknowledge", PROVINCE, CITY, "acknowledge", null, 20);
            envelope("acknowledge", () -> seal(province, ackHeaders, ack, city),
                    "the province's acknowledgement of the batch, its receipt (pull-answer.receipt.der) inside", ackHeaders, ack, "OK");

            // a notice
            String notice = "{\"noticeId\":\"" + uuid("notice-id") + "\",\"kind\":\"sanction\",\"subject\":\"" + USCC + "\","
                    + "\"body\":{\"entryId\":\"" + uuid("entry-id") + "\",\"listType\":\"BLACK\",\"partyName\":\"向量测试企业有限公司\","
                    + "\"legalBasis\":\"test vector basis\",\"authority\":\"vector-city credit office\",\"documentNumber\":\"杭向量黑〔2026〕1号\","
                    + "\"listedOn\":\"2026-11-30\",\"publicationEnd\":\"2029-11-30\",\"severity\":\"SERIOUS\","
                    + "\"measures\":[\"restricted from public tenders\"],\"respondBy\":\"2026-12-15T08:00:00Z\"}}";
            ExchangeHeaders noticeHeaders = headers("notice", CITY, PROVINCE, "notice", null, 30);
            envelope("notice", () -> seal(city, noticeHeaders, notice, province), "a sanction notice (§13) from the city to the province",
                    noticeHeaders, notice, "OK");
            String noticeAnswer = "{\"status\":\"acknowledged\",\"noticeId\":\"" + uuid("notice-id") + "\"}";
            ExchangeHeaders noticeAnswerHeaders = headers("notice-answer", PROVINCE, CITY, "notice-answer", noticeHeaders.messageId(), 31);
            envelope("notice-answer", () -> seal(province, noticeAnswerHeaders, noticeAnswer, city), "the province's answer to the notice",
                    noticeAnswerHeaders, noticeAnswer, "OK");

            // a checkpoint of the city's audit trail and the province's countersignature
            String algorithm = pki.suite == Suite.GM ? "SM3" : "SHA-256";
            byte[] eventHash = digest(("vector-city audit event 1234 " + s).getBytes(StandardCharsets.UTF_8));
            Checkpoint checkpoint = new Checkpoint(CITY, algorithm, 1234, eventHash, T0.plusSeconds(40));
            Files.write(vectors.resolve(dir).resolve("checkpoint.txt"), checkpoint.statement());
            byte[] signedCheckpoint = statement("checkpoint", () -> checkpoint.sign(envelopes(city, T0.plusSeconds(40))), CITY, PROVINCE,
                    "checkpoint.txt", "the city's signed audit checkpoint (§12) of checkpoint.txt", "OK");
            byte[] countersignature = statement("countersignature", () -> envelopes(province, T0.plusSeconds(41))
                            .signStatement(ExchangeAttributes.AUDIT_CHECKPOINT, checkpoint.statement()), PROVINCE, CITY, "checkpoint.txt",
                    "the province's countersignature of the same statement, byte for byte", "OK");
            String checkpointRequest = "{\"checkpoint\":\"" + Base64.getEncoder().encodeToString(signedCheckpoint) + "\"}";
            ExchangeHeaders checkpointHeaders = headers("checkpoint-exchange", CITY, PROVINCE, "checkpoint", null, 40);
            envelope("checkpoint-exchange", () -> seal(city, checkpointHeaders, checkpointRequest, province),
                    "the checkpoint exchange (§12): the city sends checkpoint.der to the province", checkpointHeaders, checkpointRequest, "OK");
            String checkpointAnswer = "{\"countersignature\":\"" + Base64.getEncoder().encodeToString(countersignature) + "\"}";
            ExchangeHeaders checkpointAnswerHeaders = headers("checkpoint-exchange-answer", PROVINCE, CITY, "checkpoint-answer",
                    checkpointHeaders.messageId(), 41);
            envelope("checkpoint-exchange-answer", () -> seal(province, checkpointAnswerHeaders, checkpointAnswer, city),
                    "the province's answer: countersignature.der", checkpointAnswerHeaders, checkpointAnswer, "OK");

            if (pki.suite == Suite.GM) {
                // the algorithm identifiers GM/T 0010 and GmSSL write, where BouncyCastle writes SM3withSM2 and SM3 without parameters
                ExchangeHeaders gmt = headers("query-gmt0010-identifiers", PROVINCE, CITY, "query", null, 2);
                envelope("query-gmt0010-identifiers", () -> encrypt(signGmt0010(province, gmt, query, SM3_NULL), city.certificate()),
                        "a query signed as GM/T 0010 writes it: signature algorithm sm2-1 (1.2.156.10197.1.301.1), digest SM3 with"
                                + " NULL parameters, no algorithm-protection attribute", gmt, query, "OK");
                ExchangeHeaders sha = headers("query-sha256-digest", PROVINCE, CITY, "query", null, 2);
                envelope("tampered/query-sha256-digest", () -> encrypt(signGmt0010(province, sha, query, new AlgorithmIdentifier(
                                NISTObjectIdentifiers.id_sha256)), city.certificate()),
                        "a query whose SignerInfo names sm2-1 over the digest SHA-256: GM signs over SM3 only", sha, null,
                        "E_SIGNATURE_INVALID");
                statement("countersignature-gmt0010-identifiers", () -> signGmt0010(province, ExchangeAttributes.AUDIT_CHECKPOINT,
                                checkpoint.statement(), T0.plusSeconds(41), SM3_NULL, List.of()), PROVINCE, CITY, "checkpoint.txt",
                        "the province's countersignature signed as GM/T 0010 writes it (sm2-1, SM3 with NULL parameters)", "OK");
            }

            // tampered variants
            byte[] inner = innerSignedData(queryEnvelope, city);
            envelope("tampered/query-flipped-ciphertext", () -> flipCiphertext(queryEnvelope),
                    "query.p7m with one byte of its encrypted content flipped", queryHeaders, null, "E_DECRYPTION_FAILED");
            envelope("tampered/query-flipped-signature", () -> encrypt(flipSignature(inner), city.certificate()),
                    "query.p7m's signed message with the last byte of its signature flipped, encrypted anew", queryHeaders, null,
                    "E_SIGNATURE_INVALID");
            envelope("tampered/query-other-recipient-key", () -> seal(province, queryHeaders, query, province),
                    "the query encrypted for the province's own certificate, not the city's", queryHeaders, null, "E_NOT_RECIPIENT");
            ExchangeHeaders elsewhere = headers("query-addressed-elsewhere", PROVINCE, "vector-town", "query", null, 0);
            envelope("tampered/query-addressed-elsewhere", () -> seal(province, elsewhere, query, city),
                    "a query encrypted for the city whose signed recipient is vector-town", elsewhere, null, "E_NOT_RECIPIENT");
            cases.add(new Case(dir + "/query-stale", dir + "/query.p7m", "envelope",
                    "query.p7m opened ten minutes after it was signed: outside the ±300 s window", s, PROVINCE, CITY, CITY,
                    STALE_AT.toString(), null, "E_STALE", null, null, null, null, null));
            ExchangeHeaders impostor = headers("query-sender-not-signer", "vector-town", CITY, "query", null, 0);
            envelope("tampered/query-sender-not-signer", () -> seal(province, impostor, query, city),
                    "a query signed by the province whose signed sender is vector-town", impostor, null, "E_SIGNATURE_INVALID");
            ExchangeHeaders fromRevoked = headers("query-revoked-signer", REVOKED, CITY, "query", null, 0);
            envelope("tampered/query-revoked-signer", () -> seal(revoked, fromRevoked, query, city),
                    "a query from vector-revoked, whose certificate crl.pem revokes", fromRevoked, null, "E_CERT_REVOKED");
            envelope("tampered/query-truncated", () -> Arrays.copyOf(queryEnvelope, queryEnvelope.length / 2),
                    "the first half of query.p7m", queryHeaders, null, "E_MALFORMED");
            String otherQuery = "{\"uscc\":\"91330000MA27U0XA5L\",\"requestedBy\":\"officer-1@vector-province\",\"purpose\":\"test vector\"}";
            ExchangeHeaders replay = new ExchangeHeaders(queryHeaders.messageId(), PROVINCE, CITY, "query", null, T0.plusSeconds(5));
            envelope("tampered/query-replay-other-content", () -> seal(province, replay, otherQuery, city),
                    "another query under query.p7m's message id (other subject, other signing time), after query.p7m",
                    replay, null, "E_REPLAY", List.of(dir + "/query"));
            envelope("query-resent", () -> encrypt(inner, city.certificate()),
                    "query.p7m's signed message encrypted anew (a retry), after query.p7m: the kept answer",
                    queryHeaders, null, "DUPLICATE", List.of(dir + "/query"));
            cases.add(new Case(dir + "/query.receipt-of-other-bytes", dir + "/query.receipt.der", "receipt",
                    "query.receipt.der checked against query-resent.p7m: a receipt of other bytes", s, CITY, PROVINCE, PROVINCE,
                    OPEN_AT.toString(), null, "E_SIGNATURE_INVALID", null, null, dir + "/query-resent.p7m", null, null));
            receipt("tampered/query.receipt-flipped-signature", () -> flipSignature(signedQueryReceipt), "query", null,
                    "query.receipt.der with the last byte of its signature flipped", "E_SIGNATURE_INVALID");

            String misspelt = pki.suite == Suite.GM ? "sm3" : "SHA256";
            byte[] misspeltStatement = new String(checkpoint.statement(), StandardCharsets.UTF_8)
                    .replace("algorithm " + algorithm + "\n", "algorithm " + misspelt + "\n").getBytes(StandardCharsets.UTF_8);
            statement("tampered/checkpoint-algorithm-" + misspelt, () -> envelopes(city, T0.plusSeconds(40))
                            .signStatement(ExchangeAttributes.AUDIT_CHECKPOINT, misspeltStatement), CITY, PROVINCE, null,
                    "a signed checkpoint whose algorithm is spelt " + misspelt + ", not " + algorithm, "E_MALFORMED");
            byte[] shortHash = new Checkpoint(CITY, algorithm, 1234, Arrays.copyOf(checkpoint.headHash(), 16), checkpoint.at()).statement();
            statement("tampered/checkpoint-16-byte-hash", () -> envelopes(city, T0.plusSeconds(40))
                            .signStatement(ExchangeAttributes.AUDIT_CHECKPOINT, shortHash), CITY, PROVINCE, null,
                    "a signed checkpoint with a 16-byte hash", "E_MALFORMED");
            statement("tampered/checkpoint-flipped-signature", () -> flipSignature(signedCheckpoint), CITY, PROVINCE, null,
                    "checkpoint.der with the last byte of its signature flipped", "E_SIGNATURE_INVALID");
            return cases;
        }

        // ---- cases ----

        private byte[] envelope(String name, Supplier<byte[]> make, String what, ExchangeHeaders h, String payload, String expected)
                throws IOException {
            return envelope(name, make, what, h, payload, expected, null);
        }

        private byte[] envelope(String name, Supplier<byte[]> make, String what, ExchangeHeaders h, String payload, String expected,
                                List<String> after) throws IOException {
            String file = dir + "/" + name + ".p7m";
            byte[] bytes = keep(file, make);
            String opener = h.recipient().equals(PROVINCE) ? PROVINCE : CITY;
            boolean ok = expected.equals("OK");
            cases.add(new Case(dir + "/" + name, file, "envelope", what, pki.suite.name(), h.sender(), h.recipient(), opener,
                    OPEN_AT.toString(), after, expected, ok ? signed(h) : null, ok ? payload : null, null, null, null));
            return bytes;
        }

        private byte[] receipt(String name, Supplier<byte[]> make, String of, Receipt fields, String what, String expected)
                throws IOException {
            String file = dir + "/" + name + ".der";
            byte[] bytes = keep(file, make);
            String signer = fields != null ? fields.receiver() : CITY;
            String checker = fields != null ? fields.sender() : PROVINCE;
            cases.add(new Case(dir + "/" + name, file, "receipt", what, pki.suite.name(), signer, checker, checker, OPEN_AT.toString(),
                    null, expected, null, null, dir + "/" + of + ".p7m", fields == null ? null : receiptFields(fields), null));
            return bytes;
        }

        private byte[] statement(String name, Supplier<byte[]> make, String signer, String checker, String statementFile, String what,
                                 String expected) throws IOException {
            String file = dir + "/" + name + ".der";
            byte[] bytes = keep(file, make);
            cases.add(new Case(dir + "/" + name, file, "statement", what, pki.suite.name(), signer, null, checker, OPEN_AT.toString(),
                    null, expected, null, null, null, null, statementFile == null ? null : dir + "/" + statementFile));
            return bytes;
        }

        // ---- making ----

        private ExchangeHeaders headers(String name, String sender, String recipient, String type, String correlation, int second) {
            return new ExchangeHeaders(uuid(name), sender, recipient, type, correlation, T0.plusSeconds(second));
        }

        /** A fixed message id per vector, so that regenerated vectors keep their ids. */
        private String uuid(String name) {
            return UUID.nameUUIDFromBytes(("credit-exchange test vector " + dir + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
        }

        private Envelopes envelopes(NodeCredentials self, Instant at) {
            return pki.envelopes(self, at, new InMemoryReplayGuard(Clock.fixed(at, ZoneOffset.UTC)));
        }

        private byte[] seal(NodeCredentials from, ExchangeHeaders h, String payload, NodeCredentials to) {
            return envelopes(from, h.signingTime()).seal(payload.getBytes(StandardCharsets.UTF_8), h, to.certificate());
        }

        private Receipt receipt(ExchangeHeaders received, byte[] envelope, String receiver, Instant at) {
            return new Receipt(received.messageId(), received.sender(), receiver, pki.suite == Suite.GM ? "SM3" : "SHA-256",
                    digest(envelope), at, Receipt.ACCEPTED);
        }

        private byte[] digest(byte[] bytes) {
            try {
                return pki.suite == Suite.GM ? MessageDigest.getInstance("SM3", Providers.bc()).digest(bytes)
                        : MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * The vector file as committed, or made and written if there is none: a run adds new vectors and
         * leaves the others byte for byte (what is made from a kept file, a receipt of its bytes, stays
         * consistent with it). Delete a file to make it anew.
         */
        private byte[] keep(String file, Supplier<byte[]> make) throws IOException {
            Path path = vectors.resolve(file);
            if (Files.exists(path)) {
                return Files.readAllBytes(path);
            }
            byte[] made = make.get();
            Files.write(path, made);
            return made;
        }

        // ---- the layers apart, for the tampered variants (as Envelopes seals them) ----

        /** The SignedData inside an envelope, decrypted with the recipient's key. */
        private byte[] innerSignedData(byte[] envelope, NodeCredentials recipient) {
            try {
                if (pki.suite == Suite.GM) {
                    X509CertificateHolder holder = new JcaX509CertificateHolder(recipient.certificate());
                    return new CMSEnvelopedData(envelope).getRecipientInfos()
                            .get(new KeyTransRecipientId(holder.getIssuer(), holder.getSerialNumber()))
                            .getContent(new Sm2KeyTransRecipient(recipient.privateKey()));
                }
                return new CMSAuthEnvelopedData(envelope).getRecipientInfos().get(new JceKeyAgreeRecipientId(recipient.certificate()))
                        .getContent(new JceKeyAgreeAuthEnvelopedRecipient(recipient.privateKey()).setProvider(Providers.bc()));
            } catch (Exception e) {
                throw new IllegalStateException("the vector does not decrypt", e);
            }
        }

        /** A SignedData encrypted for the recipient exactly as {@link Envelopes#seal} encrypts. */
        private byte[] encrypt(byte[] signedData, X509Certificate recipient) {
            try {
                if (pki.suite == Suite.GM) {
                    X509CertificateHolder holder = new JcaX509CertificateHolder(recipient);
                    CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
                    generator.addRecipientInfoGenerator(new Sm2KeyTransRecipientInfoGenerator(holder, Sm2Keys.publicKey(holder),
                            new SecureRandom()));
                    return generator.generate(new CMSProcessableByteArray(signedData), new Sm4CbcContentEncryptor())
                            .toASN1Structure().getEncoded(ASN1Encoding.DER);
                }
                KeyPair ephemeral = pki.suite.generateKeyPair();
                CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
                generator.addRecipientInfoGenerator(new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                        ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                        .addRecipient(recipient).setProvider(Providers.bc()));
                return generator.generate(new CMSProcessableByteArray(signedData),
                                (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(Providers.bc()).build())
                        .toASN1Structure().getEncoded(ASN1Encoding.DER);
            } catch (Exception e) {
                throw new IllegalStateException("the vector cannot be encrypted", e);
            }
        }

        /**
         * A SignedData of the exchange's signed attributes (contentType, messageDigest, signingTime and
         * the exchange headers of §2, no algorithm-protection attribute) whose SignerInfo names sm2-1 as its signature
         * algorithm and the given digest: with SM3 and NULL parameters, what a GM/T 0010 library writes.
         */
        private byte[] signGmt0010(NodeCredentials from, ExchangeHeaders h, String payload, AlgorithmIdentifier digest) {
            return signGmt0010(from, CMSObjectIdentifiers.data, payload.getBytes(StandardCharsets.UTF_8), h.signingTime(), digest,
                    List.of(utf8(ExchangeAttributes.MESSAGE_ID, h.messageId()), utf8(ExchangeAttributes.SENDER, h.sender()),
                            utf8(ExchangeAttributes.RECIPIENT, h.recipient()), utf8(ExchangeAttributes.EXCHANGE_TYPE, h.exchangeType())));
        }

        /** As above, any content type and content, signed at {@code at}, with these attributes besides the three CMS ones. */
        private byte[] signGmt0010(NodeCredentials from, ASN1ObjectIdentifier contentType, byte[] content, Instant at,
                                   AlgorithmIdentifier digest, List<Attribute> more) {
            try {
                ContentSigner sm2 = Sm2SigningKey.of(from.privateKey()).contentSigner();
                ContentSigner asGmt0010 = new ContentSigner() {
                    @Override
                    public AlgorithmIdentifier getAlgorithmIdentifier() {
                        return new AlgorithmIdentifier(GmAlgorithms.SM2_SIGN);
                    }

                    @Override
                    public OutputStream getOutputStream() {
                        return sm2.getOutputStream();
                    }

                    @Override
                    public byte[] getSignature() {
                        return sm2.getSignature();
                    }
                };
                CMSAttributeTableGenerator attributes = parameters -> {
                    ASN1EncodableVector v = new ASN1EncodableVector();
                    ASN1ObjectIdentifier type = (ASN1ObjectIdentifier) parameters.get(CMSAttributeTableGenerator.CONTENT_TYPE);
                    byte[] contentDigest = (byte[]) parameters.get(CMSAttributeTableGenerator.DIGEST);
                    v.add(new Attribute(CMSAttributes.contentType, new DERSet(type)));
                    v.add(new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(contentDigest))));
                    v.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(at)))));
                    more.forEach(v::add);
                    return new AttributeTable(v);
                };
                X509CertificateHolder certificate = new JcaX509CertificateHolder(from.certificate());
                CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
                DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bc()).build();
                generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests)
                        .setContentDigest(digest)
                        .setSignedAttributeGenerator(attributes)
                        .build(asGmt0010, certificate));
                generator.addCertificate(certificate);
                return generator.generate(new CMSProcessableByteArray(contentType, content), true).getEncoded("DER");
            } catch (Exception e) {
                throw new IllegalStateException("the GM/T 0010 vector cannot be signed", e);
            }
        }

        private static Attribute utf8(ASN1ObjectIdentifier type, String value) {
            return new Attribute(type, new DERSet(new DERUTF8String(value)));
        }

        /** One byte of the encrypted content flipped: INTL in its middle (the GCM tag no longer matches), GM in its first block. */
        private byte[] flipCiphertext(byte[] envelope) {
            ContentInfo info = ContentInfo.getInstance(envelope);
            byte[] ciphertext = pki.suite == Suite.GM
                    ? EnvelopedData.getInstance(info.getContent()).getEncryptedContentInfo().getEncryptedContent().getOctets()
                    : AuthEnvelopedData.getInstance(info.getContent()).getAuthEncryptedContentInfo().getEncryptedContent().getOctets();
            int at = indexOf(envelope, ciphertext) + (pki.suite == Suite.GM ? 5 : ciphertext.length / 2);
            byte[] flipped = envelope.clone();
            flipped[at] ^= 0x01;
            return flipped;
        }
    }

    /** The last byte of the one signer's signature flipped, everything else as signed. */
    static byte[] flipSignature(byte[] signedData) {
        try {
            byte[] signature = new CMSSignedData(signedData).getSignerInfos().getSigners().iterator().next().getSignature();
            int at = indexOf(signedData, signature) + signature.length - 1;
            byte[] flipped = signedData.clone();
            flipped[at] ^= 0x01;
            return flipped;
        } catch (Exception e) {
            throw new IllegalStateException("no signature to flip", e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    private static Headers signed(ExchangeHeaders h) {
        return new Headers(h.messageId(), h.sender(), h.recipient(), h.exchangeType(), h.correlationId(), h.signingTime().toString());
    }

    private static ReceiptFields receiptFields(Receipt r) {
        return new ReceiptFields(r.messageId(), r.sender(), r.receiver(), r.digestAlgorithm(), HexFormat.of().formatHex(r.digest()),
                r.receivedAt().toString(), r.status());
    }
}
