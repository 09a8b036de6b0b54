package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;

/**
 * A node's envelope layer over its credentials in each suite it holds: partners are configured
 * with a suite, and a node exchanging with GM and INTL partners keeps one {@link Envelopes} per
 * suite. Sealing picks the suite of the recipient's certificate; opening picks it from the
 * envelope's outer content type (EnvelopedData is GM, AuthEnvelopedData INTL).
 */
public final class NodeEnvelopes {

    private final Map<Suite, Envelopes> bySuite;
    private final EnvelopePolicy policy;

    /** @param policy the policy every one of the envelopes was made with */
    public NodeEnvelopes(Map<Suite, Envelopes> bySuite, EnvelopePolicy policy) {
        if (bySuite.isEmpty()) {
            throw new IllegalArgumentException("a node needs credentials in at least one suite");
        }
        this.bySuite = new EnumMap<>(bySuite);
        this.policy = policy;
    }

    /** The envelopes of one suite. */
    public Envelopes suite(Suite suite) {
        Envelopes envelopes = bySuite.get(suite);
        if (envelopes == null) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "this node holds no " + suite + " credential");
        }
        return envelopes;
    }

    /** The envelopes it signs statements with: of the preferred suite if the node holds it, otherwise of the one it holds. */
    public Envelopes signing(Suite preferred) {
        Envelopes envelopes = bySuite.get(preferred);
        return envelopes != null ? envelopes : bySuite.values().iterator().next();
    }

    public byte[] seal(byte[] payload, ExchangeHeaders headers, X509Certificate recipient) {
        Suite suite = Suite.ofKey(recipient.getPublicKey()).orElseThrow(
                () -> new CodedException(ErrorCode.E_SUITE_MISMATCH, "the recipient's key is of neither suite"));
        return suite(suite).seal(payload, headers, recipient);
    }

    /** Opens with the suite the envelope is made in; see {@link Envelopes#open}. */
    public OpenedEnvelope open(byte[] envelope) {
        return suite(suiteOf(envelope, policy)).open(envelope);
    }

    /**
     * The suite of an envelope by its outer content type, read from the first bytes only.
     *
     * @throws CodedException E_TOO_LARGE, E_MALFORMED
     */
    public static Suite suiteOf(byte[] envelope, EnvelopePolicy policy) {
        DerLimits.check(envelope, policy.maxBytes());
        ASN1ObjectIdentifier type;
        try (ASN1InputStream in = new ASN1InputStream(envelope, true)) {
            ASN1Sequence outer = ASN1Sequence.getInstance(in.readObject());
            type = ASN1ObjectIdentifier.getInstance(outer.getObjectAt(0));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the envelope is not a CMS ContentInfo");
        }
        return typeSuite(type).orElseThrow(() -> new CodedException(ErrorCode.E_MALFORMED,
                "the envelope is neither EnvelopedData (GM) nor AuthEnvelopedData (INTL)"));
    }

    private static Optional<Suite> typeSuite(ASN1ObjectIdentifier type) {
        if (CMSObjectIdentifiers.envelopedData.equals(type)) {
            return Optional.of(Suite.GM);
        }
        if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
            return Optional.of(Suite.INTL);
        }
        return Optional.empty();
    }
}
