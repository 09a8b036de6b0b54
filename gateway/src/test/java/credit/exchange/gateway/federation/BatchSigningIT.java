package credit.exchange.gateway.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.gateway.Node;
import credit.exchange.gateway.NodeConfig;
import credit.exchange.gateway.TestNodes;
import credit.exchange.gateway.demo.DemoAlliance;
import credit.exchange.gateway.demo.SimulatedPartner;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.ExchangeAttributes;
import credit.exchange.security.pki.PemFiles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node switched to batch signing ({@code gateway.exchange.batch-signing=true}) under concurrent
 * queries: every answer opens and every receipt verifies at partners that sign per message, and
 * the receipts the node keeps carry batch signatures (docs/protocol.md, "Batch signatures").
 */
class BatchSigningIT {

    /** The batch signature algorithm: the alliance arc's branch 9. */
    private static final String BATCH_ALGORITHM = ExchangeAttributes.ARC.branch("9").getId();

    @TempDir
    Path root;

    @Test
    void aBatchSigningNode_isAnsweredAndProvenByPartnersThatSignPerMessage() throws Exception {
        DemoAlliance alliance = DemoAlliance.prepare(root, DemoAlliance.freeBasePort(), null);
        DemoAlliance.Member hangzhou = DemoAlliance.member("hangzhou");
        List<DemoAlliance.LoadPartner> partners = alliance.loadPartners(hangzhou, 2, Suite.GM);
        NodeConfig config = alliance.config(hangzhou).with("gateway.exchange.batch-signing", "true");
        try (Node node = Node.start(config)) {
            NodeIdentity trust = NodeIdentity.load(config, Clock.systemUTC()).orElseThrow();
            List<SimulatedPartner> clients = new ArrayList<>();
            for (DemoAlliance.LoadPartner p : partners) {
                clients.add(new SimulatedPartner(p.id(), p.credentials(), Suite.GM, trust.validator(), trust.policy(), "hangzhou",
                        URI.create(alliance.exchangeUrl(hangzhou)),
                        PemFiles.readCertificate(alliance.root().resolve("certs").resolve("hangzhou.gm.pem")), Clock.systemUTC()));
            }
            byte[] query = "{\"uscc\":\"91330100716105852F\",\"requestedBy\":\"officer 7\",\"purpose\":\"loan review\"}"
                    .getBytes(StandardCharsets.UTF_8);
            ExecutorService threads = Executors.newFixedThreadPool(16);
            List<Future<Optional<String>>> outcomes = new ArrayList<>();
            try {
                for (int i = 0; i < 160; i++) {
                    SimulatedPartner client = clients.get(i % clients.size());
                    outcomes.add(threads.submit(() -> {
                        try {
                            client.answer("query", query);
                            return Optional.<String>empty();
                        } catch (RuntimeException e) {
                            return Optional.of(SimulatedPartner.failure(e));
                        }
                    }));
                }
                Map<String, Integer> failures = new TreeMap<>();
                for (Future<Optional<String>> f : outcomes) {
                    f.get(60, TimeUnit.SECONDS).ifPresent(failure -> failures.merge(failure, 1, Integer::sum));
                }
                assertEquals(Map.of(), failures, "every exchange answered, its answer opened and its receipt verified");
            } finally {
                threads.shutdownNow();
            }

            List<Integer> treeSizes = new ArrayList<>();
            for (String receipt : TestNodes.rows(config, "select encode(receipt, 'base64') from exchange_message where receipt is not null")) {
                SignerInformation signer = new CMSSignedData(Base64.getMimeDecoder().decode(receipt)).getSignerInfos().getSigners()
                        .iterator().next();
                assertEquals(BATCH_ALGORITHM, signer.getEncryptionAlgOID(), "each receipt is batch-signed");
                treeSizes.add(ASN1Integer.getInstance(ASN1Sequence.getInstance(signer.getSignature()).getObjectAt(0)).intValueExact());
            }
            assertTrue(treeSizes.size() >= 160, "the node kept a receipt per exchange: " + treeSizes.size());
            System.out.printf("BatchSigningIT: %d receipts, batches of up to %d, mean %.2f%n", treeSizes.size(),
                    treeSizes.stream().mapToInt(Integer::intValue).max().orElse(0),
                    treeSizes.stream().mapToInt(Integer::intValue).average().orElse(0));
        }
    }
}
