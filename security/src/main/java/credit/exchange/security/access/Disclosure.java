package credit.exchange.security.access;

/**
 * How much of an allowed record a caller sees. Resident ID numbers are masked at every level:
 * the gateway never returns one in the clear.
 */
public enum Disclosure {
    /** What the public may see: no representative ID, no internal remarks. */
    PUBLIC,
    /** Every stored field (resident ID numbers still masked). */
    FULL
}
