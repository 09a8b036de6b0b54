package credit.exchange.routes.exchange;

/**
 * What the exchange listener sends back for an accepted request: the answer sealed to the
 * requester, and our signed receipt of the exact request bytes.
 */
public record ExchangeReply(byte[] answer, byte[] receipt) {
}
