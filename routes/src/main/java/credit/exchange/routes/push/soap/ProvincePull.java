package credit.exchange.routes.push.soap;

import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.jws.WebResult;
import jakarta.jws.WebService;

/**
 * The SOAP binding of the provincial pull (served at {@code /soap/province}, WSDL at
 * {@code /soap/province?wsdl}): the same sealed envelopes as the exchange listener, base64 in
 * SOAP. {@code pull} carries a {@code pull} envelope and returns the sealed batch with our signed
 * receipt of the request; {@code acknowledge} carries an {@code acknowledge} envelope. A refusal
 * is an {@link ExchangeFault} with the error code (docs/protocol.md, "Push flows").
 */
@WebService(name = "ProvincePull", targetNamespace = ProvincePull.NAMESPACE)
public interface ProvincePull {

    String NAMESPACE = "urn:credit-exchange:push:1";

    @WebMethod(operationName = "pull")
    @WebResult(name = "result", targetNamespace = NAMESPACE)
    ExchangeResult pull(@WebParam(name = "envelope", targetNamespace = NAMESPACE) byte[] envelope) throws ExchangeFault;

    @WebMethod(operationName = "acknowledge")
    @WebResult(name = "result", targetNamespace = NAMESPACE)
    ExchangeResult acknowledge(@WebParam(name = "envelope", targetNamespace = NAMESPACE) byte[] envelope) throws ExchangeFault;
}
