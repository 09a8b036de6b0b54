package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The alliance's certificate profile in one place: how a node is named, and where its name sits
 * in a certificate. A node ID is a lower-case DNS name (e.g. {@code huzhou}), because it is also the
 * certificate's {@code subjectAltName} for mutual TLS; node certificates name it as subject
 * {@code CN=<nodeId>, O=Credit City Alliance}.
 */
public final class AllianceProfile {

    /** The organisation (O) of every alliance certificate. */
    public static final String ORGANIZATION = "Credit City Alliance";

    private static final Pattern DNS_NAME =
            Pattern.compile("(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");

    private AllianceProfile() {
    }

    /**
     * The node ID if it is a lower-case DNS name (labels of letters, digits and inner hyphens).
     *
     * @throws CodedException {@link ErrorCode#E_FIELD_INVALID} otherwise
     */
    public static String requireNodeId(String nodeId) {
        if (nodeId == null || !DNS_NAME.matcher(nodeId).matches()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID,
                    "a node ID must be a lower-case DNS name (letters, digits, inner hyphens, dots between labels)");
        }
        return nodeId;
    }

    /**
     * The node ID a certificate names: its subject's single common name.
     *
     * @throws CodedException {@link ErrorCode#E_MALFORMED} if the subject has no or several CNs
     */
    public static String nodeId(X509Certificate certificate) {
        RDN[] cns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (cns.length != 1 || cns[0].isMultiValued()) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the certificate's subject does not name exactly one node (CN)");
        }
        return IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    /**
     * The {@code http} URLs of a certificate's CRL distribution points (cRLDistributionPoints, full
     * names that are URIs), in order; empty if it names none. Other names and schemes are skipped.
     *
     * @throws CodedException {@link ErrorCode#E_MALFORMED} if the extension does not parse
     */
    public static List<URI> crlUrls(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        List<URI> urls = new ArrayList<>();
        if (value == null) {
            return urls;
        }
        DistributionPoint[] points;
        try {
            points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(value).getOctets()).getDistributionPoints();
        } catch (RuntimeException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the certificate's CRL distribution points do not parse");
        }
        for (DistributionPoint point : points) {
            DistributionPointName name = point.getDistributionPoint();
            if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
                continue;
            }
            for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                if (g.getTagNo() != GeneralName.uniformResourceIdentifier) {
                    continue;
                }
                try {
                    URI uri = new URI(((ASN1String) g.getName()).getString());
                    if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
                        urls.add(uri);
                    }
                } catch (URISyntaxException e) {
                    // a name that is no URL names nothing we can fetch
                }
            }
        }
        return urls;
    }

    static X500Name subject(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANIZATION)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }
}
