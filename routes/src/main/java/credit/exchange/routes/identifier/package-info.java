/**
 * Checks and generators for the Chinese identifiers found in credit records: the unified social
 * credit code (GB 32100-2015), the resident ID number (GB 11643-1999), the organisation code
 * (GB 11714-1997) and the old 15-digit business registration number. Pure functions of their
 * input, apart from "not in the future" for birth dates, which reads today's date in China.
 */
package credit.exchange.routes.identifier;
