package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;

/**
 * Checks untrusted DER (or BER, as streaming CMS encoders write) before any ASN.1 parser sees
 * it: total size, and every element's length and nesting depth, walked iteratively. A recursive parser given a million nested SEQUENCEs would
 * overflow its stack, and a length field claiming gigabytes would make it allocate them.
 */
final class DerLimits {

    static final int MAX_DEPTH = 48;

    private DerLimits() {
    }

    static void check(byte[] der, int maxBytes) {
        if (der.length > maxBytes) {
            throw new CodedException(ErrorCode.E_TOO_LARGE,
                    "the envelope has " + der.length + " bytes; this node accepts at most " + maxBytes);
        }
        int[] ends = new int[MAX_DEPTH + 1];
        boolean[] indefinite = new boolean[MAX_DEPTH + 1];
        int depth = 0;
        ends[0] = der.length;
        int pos = 0;
        while (pos < der.length) {
            while (depth > 0 && !indefinite[depth] && pos >= ends[depth]) {
                depth--;
            }
            if (depth > 0 && indefinite[depth] && pos + 1 < der.length && der[pos] == 0 && der[pos + 1] == 0) {
                pos += 2; // end-of-contents closes the innermost indefinite-length element
                depth--;
                continue;
            }
            int tag = der[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) { // high tag number form
                int guard = 0;
                while (pos < der.length && (der[pos++] & 0x80) != 0) {
                    if (++guard > 4) {
                        throw malformed("tag number too long");
                    }
                }
            }
            if (pos >= der.length) {
                throw malformed("truncated before a length");
            }
            int first = der[pos++] & 0xff;
            boolean constructed = (tag & 0x20) != 0;
            long end;
            if (first == 0x80) { // BER indefinite length, as streaming CMS encoders write
                if (!constructed) {
                    throw malformed("indefinite length on a primitive element");
                }
                end = ends[depth];
            } else {
                long length;
                if (first < 0x80) {
                    length = first;
                } else {
                    int count = first & 0x7f;
                    if (count > 4 || pos + count > der.length) {
                        throw malformed("length field out of range");
                    }
                    length = 0;
                    for (int i = 0; i < count; i++) {
                        length = (length << 8) | (der[pos++] & 0xff);
                    }
                }
                end = pos + length;
                if (end > ends[depth]) {
                    throw malformed("an element runs past its container");
                }
            }
            if (constructed) {
                if (depth == MAX_DEPTH) {
                    throw malformed("nested deeper than " + MAX_DEPTH + " levels");
                }
                depth++;
                ends[depth] = (int) end;
                indefinite[depth] = first == 0x80;
            } else {
                pos = (int) end;
            }
        }
        if (depth > 0 && indefinite[depth]) {
            throw malformed("an indefinite-length element is not closed");
        }
    }

    private static CodedException malformed(String why) {
        return new CodedException(ErrorCode.E_MALFORMED, "the envelope is not valid DER: " + why);
    }
}
