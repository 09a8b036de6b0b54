package credit.exchange.security.envelope;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;

/**
 * The signed attributes that carry {@link ExchangeHeaders}. The alliance's own attributes live
 * under an OID arc minted from a UUID (ITU-T X.667, arc 2.25), which needs no registration and
 * cannot collide; each holds one UTF8String. Signing time is the standard CMS attribute.
 */
public final class ExchangeAttributes {

    /** 2.25.{UUID 5b2f0c8e-6d1a-4c3e-9f7b-2a8d4e6c1f03 as an integer}: the alliance exchange arc. */
    public static final ASN1ObjectIdentifier ARC =
            new ASN1ObjectIdentifier("2.25.121204040241858460375247650636373434115");
    public static final ASN1ObjectIdentifier MESSAGE_ID = ARC.branch("1");
    public static final ASN1ObjectIdentifier SENDER = ARC.branch("2");
    public static final ASN1ObjectIdentifier RECIPIENT = ARC.branch("3");
    public static final ASN1ObjectIdentifier EXCHANGE_TYPE = ARC.branch("4");
    public static final ASN1ObjectIdentifier CORRELATION_ID = ARC.branch("5");
    /** Content type of a signed audit checkpoint (branch 6 is the receipt's). */
    public static final ASN1ObjectIdentifier AUDIT_CHECKPOINT = ARC.branch("7");
    /** Content type of a signed trusted-enterprise recognition statement. */
    public static final ASN1ObjectIdentifier RECOGNITION_STATEMENT = ARC.branch("8");
    /** Content type of a node's signed statement of a credit report it issued (its number and digest). */
    public static final ASN1ObjectIdentifier CREDIT_REPORT_STATEMENT = ARC.branch("9");

    private ExchangeAttributes() {
    }

    static AttributeTable toTable(ExchangeHeaders h) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(h.signingTime())))));
        v.add(utf8(MESSAGE_ID, h.messageId()));
        v.add(utf8(SENDER, h.sender()));
        v.add(utf8(RECIPIENT, h.recipient()));
        v.add(utf8(EXCHANGE_TYPE, h.exchangeType()));
        if (h.correlationId() != null) {
            v.add(utf8(CORRELATION_ID, h.correlationId()));
        }
        return new AttributeTable(v);
    }

    /** Reads the headers back; null where a mandatory attribute is missing or malformed. */
    static ExchangeHeaders fromTable(AttributeTable t) {
        if (t == null) {
            return null;
        }
        String messageId = text(t, MESSAGE_ID);
        String sender = text(t, SENDER);
        String recipient = text(t, RECIPIENT);
        String type = text(t, EXCHANGE_TYPE);
        Instant signed = signingTime(t);
        if (messageId == null || sender == null || recipient == null || type == null || signed == null) {
            return null;
        }
        return new ExchangeHeaders(messageId, sender, recipient, type, text(t, CORRELATION_ID), signed);
    }

    private static Attribute utf8(ASN1ObjectIdentifier oid, String value) {
        return new Attribute(oid, new DERSet(new DERUTF8String(value)));
    }

    private static String text(AttributeTable t, ASN1ObjectIdentifier oid) {
        Attribute a = t.get(oid);
        if (a == null || a.getAttrValues().size() != 1) {
            return null;
        }
        ASN1Encodable value = a.getAttrValues().getObjectAt(0);
        return value instanceof ASN1UTF8String s ? s.getString() : null;
    }

    private static Instant signingTime(AttributeTable t) {
        Attribute a = t.get(CMSAttributes.signingTime);
        if (a == null || a.getAttrValues().size() != 1) {
            return null;
        }
        try {
            return Time.getInstance(a.getAttrValues().getObjectAt(0)).getDate().toInstant();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
