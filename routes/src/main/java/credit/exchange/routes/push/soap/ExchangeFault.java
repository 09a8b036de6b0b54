package credit.exchange.routes.push.soap;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.ws.WebFault;

/** A refused SOAP exchange: the SOAP fault's detail carries the error code and its message. */
@WebFault(name = "exchangeFault", targetNamespace = ProvincePull.NAMESPACE)
public class ExchangeFault extends Exception {

    private final Info faultInfo;

    public ExchangeFault(String message, Info faultInfo) {
        super(message);
        this.faultInfo = faultInfo;
    }

    public ExchangeFault(String message, Info faultInfo, Throwable cause) {
        super(message, cause);
        this.faultInfo = faultInfo;
    }

    public Info getFaultInfo() {
        return faultInfo;
    }

    /** The fault's detail. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "exchangeFaultInfo", namespace = ProvincePull.NAMESPACE, propOrder = {"code", "message"})
    public static class Info {

        @XmlElement(required = true, namespace = ProvincePull.NAMESPACE)
        private String code;

        @XmlElement(required = true, namespace = ProvincePull.NAMESPACE)
        private String message;

        public Info() {
        }

        public Info(String code, String message) {
            this.code = code;
            this.message = message;
        }

        public String getCode() {
            return code;
        }

        public String getMessage() {
            return message;
        }
    }
}
