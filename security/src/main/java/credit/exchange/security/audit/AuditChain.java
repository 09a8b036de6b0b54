package credit.exchange.security.audit;

import credit.exchange.security.Suite;
import credit.exchange.security.gm.Sm3;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The audit trail's hash chain: each event's hash is H(canonical bytes || previous hash), with
 * SM3 on GM nodes and SHA-256 on INTL nodes; the first event's previous hash is 32 zero bytes.
 * Whoever changes, removes, adds or reorders a chained event must recompute every later hash,
 * and the signed checkpoints (with partners' countersignatures) pin those.
 */
public final class AuditChain {

    /** The previous hash of the first event. */
    public static final byte[] GENESIS = new byte[32];

    private final String algorithm;

    private AuditChain(String algorithm) {
        this.algorithm = algorithm;
    }

    /** The chain of a node whose own suite is this one. */
    public static AuditChain of(Suite suite) {
        return new AuditChain(suite == Suite.GM ? "SM3" : "SHA-256");
    }

    /** The chain of an algorithm by name: SM3 or SHA-256 (as the chain head and bundles record it). */
    public static AuditChain named(String algorithm) {
        if (!algorithm.equals("SM3") && !algorithm.equals("SHA-256")) {
            throw new IllegalArgumentException("no audit chain algorithm " + algorithm + " (SM3 or SHA-256)");
        }
        return new AuditChain(algorithm);
    }

    public String algorithm() {
        return algorithm;
    }

    /** The suite whose hash this chain uses, and whose key signs its checkpoints. */
    public Suite suite() {
        return algorithm.equals("SM3") ? Suite.GM : Suite.INTL;
    }

    public byte[] hash(AuditRecord record, byte[] previous) {
        byte[] canonical = record.canonical();
        if (algorithm.equals("SM3")) {
            return Sm3.hash(canonical, previous);
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(canonical);
            return digest.digest(previous);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
