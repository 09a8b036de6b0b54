package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERGeneralizedTime;

/**
 * The DER form of a {@link Receipt}, the content of a receipt's SignedData:
 * <pre>
 * ExchangeReceipt ::= SEQUENCE {
 *   messageId UTF8String, sender UTF8String, receiver UTF8String,
 *   digestAlgorithm UTF8String, digest OCTET STRING,
 *   receivedAt GeneralizedTime, status UTF8String }
 * </pre>
 */
final class ReceiptCodec {

    /** Content type of a receipt's SignedData: the alliance arc's branch 6. */
    static final ASN1ObjectIdentifier CONTENT_TYPE = ExchangeAttributes.ARC.branch("6");

    private ReceiptCodec() {
    }

    static byte[] encode(Receipt r) {
        try {
            return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new DERUTF8String(r.messageId()), new DERUTF8String(r.sender()), new DERUTF8String(r.receiver()),
                    new DERUTF8String(r.digestAlgorithm()), new DEROctetString(r.digest()),
                    new DERGeneralizedTime(java.util.Date.from(r.receivedAt())), new DERUTF8String(r.status())})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Receipt decode(byte[] der) {
        try {
            ASN1Sequence s = ASN1Sequence.getInstance(der);
            if (s.size() != 7) {
                throw new IllegalArgumentException("7 fields expected");
            }
            return new Receipt(text(s, 0), text(s, 1), text(s, 2), text(s, 3),
                    ASN1OctetString.getInstance(s.getObjectAt(4)).getOctets(),
                    ASN1GeneralizedTime.getInstance(s.getObjectAt(5)).getDate().toInstant(), text(s, 6));
        } catch (RuntimeException | java.text.ParseException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the receipt content is not an ExchangeReceipt", e);
        }
    }

    private static String text(ASN1Sequence s, int i) {
        return ASN1UTF8String.getInstance(s.getObjectAt(i)).getString();
    }
}
