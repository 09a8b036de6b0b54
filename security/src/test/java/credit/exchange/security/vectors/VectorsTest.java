package credit.exchange.security.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.Suite;
import credit.exchange.security.audit.Checkpoint;
import credit.exchange.security.audit.StatementVerifier;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import credit.exchange.security.envelope.ReplayGuard;
import credit.exchange.security.envelope.ReplayedEnvelopeException;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.vectors.VectorManifest.Case;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed test vectors (docs/vectors/) opened with the node's own code at the manifest's
 * instant: every envelope, receipt and signed statement gives the result vectors.json says — OK
 * with the headers and payload listed, the kept answer for a resent message, or its error code.
 * A change in what the node accepts or refuses fails here, and so must be a change of the vectors
 * (and of what other vendors' implementations are tested against).
 */
class VectorsTest {

    /** docs/vectors, from the security module's directory (where Maven runs its tests). */
    static final Path VECTORS = Path.of("..", "docs", "vectors").toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicTest> everyVectorGivesItsExpectedResult() throws IOException {
        VectorManifest manifest = VectorManifest.read(VECTORS.resolve("vectors.json"));
        assertFalse(manifest.cases().isEmpty(), "vectors.json lists no case");
        return manifest.cases().stream().map(c -> DynamicTest.dynamicTest(c.id() + " -> " + c.expected(), () -> check(VECTORS, c, manifest)));
    }

    @Test
    void everyFileUnderDocsVectors_isListedInTheManifest() throws IOException {
        VectorManifest manifest = VectorManifest.read(VECTORS.resolve("vectors.json"));
        Set<String> listed = new HashSet<>(List.of(".gitattributes", "README.md", "vectors.json"));
        for (Case c : manifest.cases()) {
            Stream.of(c.file(), c.receiptOf(), c.statement()).filter(f -> f != null).forEach(listed::add);
        }
        manifest.pki().values().forEach(p -> {
            listed.add(p.ca());
            listed.add(p.crl());
            p.nodes().values().forEach(n -> {
                listed.add(n.key());
                listed.add(n.certificate());
            });
        });
        try (Stream<Path> files = Files.walk(VECTORS)) {
            Set<String> present = files.filter(Files::isRegularFile).map(f -> VECTORS.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toSet());
            present.removeAll(listed);
            assertEquals(Set.of(), present, "files in docs/vectors that vectors.json does not list");
        }
        for (String file : listed) {
            assertTrue(Files.isRegularFile(VECTORS.resolve(file)), "vectors.json lists " + file + ", which is missing");
        }
    }

    static void check(Path vectors, Case c, VectorManifest manifest) {
        Map<String, Case> byId = manifest.cases().stream().collect(Collectors.toMap(Case::id, Function.identity()));
        try {
            VectorPki pki = VectorPki.load(vectors, Suite.valueOf(c.suite()));
            Instant at = Instant.parse(c.at());
            switch (c.kind()) {
                case "envelope" -> checkEnvelope(vectors, c, pki, at, byId);
                case "receipt" -> checkReceipt(vectors, c, pki, at);
                case "statement" -> checkStatement(vectors, c, pki, at);
                default -> throw new AssertionError(c.id() + ": unknown kind " + c.kind());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkEnvelope(Path vectors, Case c, VectorPki pki, Instant at, Map<String, Case> byId) throws IOException {
        KeptDigests memory = new KeptDigests();
        Envelopes opener = pki.envelopes(pki.node(c.openedBy()), at, memory);
        for (String before : c.after() == null ? List.<String>of() : c.after()) {
            opener.open(read(vectors, byId.get(before).file()));
        }
        byte[] envelope = read(vectors, c.file());
        OpenedEnvelope[] opened = new OpenedEnvelope[1];
        String outcome = outcome(() -> opened[0] = opener.open(envelope), memory);
        assertEquals(c.expected(), outcome, c.id() + ": " + c.what());
        if (c.expected().equals("OK")) {
            var h = opened[0].headers();
            assertEquals(c.headers(), new VectorManifest.Headers(h.messageId(), h.sender(), h.recipient(), h.exchangeType(),
                    h.correlationId(), h.signingTime().toString()), c.id() + ": signed headers");
            assertArrayEquals(c.payload().getBytes(StandardCharsets.UTF_8), opened[0].payload(), c.id() + ": payload, byte for byte");
            assertEquals(c.sender(), AllianceProfile.nodeId(opened[0].signer()), c.id() + ": signer");
        }
    }

    private static void checkReceipt(Path vectors, Case c, VectorPki pki, Instant at) throws IOException {
        Envelopes checker = pki.envelopes(pki.node(c.openedBy()), at, new KeptDigests());
        byte[] signed = read(vectors, c.file());
        byte[] receiptOf = read(vectors, c.receiptOf());
        Receipt[] verified = new Receipt[1];
        assertEquals(c.expected(), outcome(() -> verified[0] = checker.verifyReceipt(signed, receiptOf, c.sender()), null),
                c.id() + ": " + c.what());
        if (c.expected().equals("OK")) {
            Receipt r = verified[0];
            assertEquals(c.receipt(), new VectorManifest.ReceiptFields(r.messageId(), r.sender(), r.receiver(), r.digestAlgorithm(),
                    HexFormat.of().formatHex(r.digest()), r.receivedAt().toString(), r.status()), c.id() + ": receipt fields");
        }
    }

    /** A checkpoint or countersignature, verified as a partner does (the node's envelopes) and as an auditor does (offline). */
    private static void checkStatement(Path vectors, Case c, VectorPki pki, Instant at) throws IOException {
        byte[] signed = read(vectors, c.file());
        Envelopes partner = pki.envelopes(pki.node(c.openedBy()), at, new KeptDigests());
        StatementVerifier auditor = new StatementVerifier(pki.validator(Clock.fixed(at, ZoneOffset.UTC)));
        Checkpoint[] verified = new Checkpoint[2];
        assertEquals(c.expected(), outcome(() -> verified[0] = Checkpoint.verify(partner, signed, c.sender()), null),
                c.id() + " (by a partner): " + c.what());
        assertEquals(c.expected(), outcome(() -> verified[1] = Checkpoint.verify(auditor, signed, c.sender()), null),
                c.id() + " (offline): " + c.what());
        if (c.expected().equals("OK")) {
            assertNotNull(c.statement(), c.id() + " names its statement");
            byte[] statement = read(vectors, c.statement());
            assertArrayEquals(statement, verified[0].statement(), c.id() + ": the statement signed");
            assertArrayEquals(statement, verified[1].statement(), c.id() + ": the statement signed");
        }
    }

    /** OK, DUPLICATE (the same signed message under a message id already seen), or the code refused with. */
    private static String outcome(Runnable action, KeptDigests memory) {
        try {
            action.run();
            return "OK";
        } catch (ReplayedEnvelopeException replay) {
            // as the exchange decides (ExchangeMessages.answerTo): the same signed attributes get the kept answer
            return memory != null && memory.sameAsKept(replay) ? "DUPLICATE" : replay.code().name();
        } catch (CodedException refused) {
            return refused.code().name();
        }
    }

    private static byte[] read(Path vectors, String file) throws IOException {
        return Files.readAllBytes(vectors.resolve(file));
    }

    /** A node's memory of message ids with the digest of what was signed under each, as the exchange keeps it. */
    static final class KeptDigests implements ReplayGuard {

        private final Map<String, byte[]> kept = new ConcurrentHashMap<>();

        @Override
        public boolean firstSeen(String sender, String messageId, Instant forgetAfter) {
            return firstSeen(sender, messageId, forgetAfter, new byte[0]);
        }

        @Override
        public boolean firstSeen(String sender, String messageId, Instant forgetAfter, byte[] signedDigest) {
            return kept.putIfAbsent(sender + '\u0000' + messageId, signedDigest.clone()) == null;
        }

        boolean sameAsKept(ReplayedEnvelopeException replay) {
            byte[] digest = kept.get(replay.headers().sender() + '\u0000' + replay.headers().messageId());
            return digest != null && MessageDigest.isEqual(digest, replay.signedDigest());
        }
    }
}
