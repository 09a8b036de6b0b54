package credit.exchange.routes.push.soap;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** A SOAP operation's result: the sealed answer envelope and our signed receipt of the request (both DER, base64 in XML). */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "exchangeResult", namespace = ProvincePull.NAMESPACE, propOrder = {"answer", "receipt"})
public class ExchangeResult {

    @XmlElement(required = true, namespace = ProvincePull.NAMESPACE)
    private byte[] answer;

    @XmlElement(required = true, namespace = ProvincePull.NAMESPACE)
    private byte[] receipt;

    public ExchangeResult() {
    }

    public ExchangeResult(byte[] answer, byte[] receipt) {
        this.answer = answer;
        this.receipt = receipt;
    }

    public byte[] getAnswer() {
        return answer;
    }

    public byte[] getReceipt() {
        return receipt;
    }
}
