package credit.exchange.routes.ingest;

import java.time.LocalDate;
import java.util.HexFormat;

/** Builds rows in PostgreSQL's COPY text format (tab-separated, \N for null, backslash escapes). */
final class CopyRows {

    private final StringBuilder out = new StringBuilder(1 << 16);
    private boolean firstField = true;

    CopyRows text(String value) {
        separator();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return this;
    }

    CopyRows bytes(byte[] value) {
        if (value == null) {
            return text(null);
        }
        separator();
        out.append("\\\\x").append(HexFormat.of().formatHex(value));
        return this;
    }

    CopyRows date(LocalDate value) {
        return text(value == null ? null : value.toString());
    }

    CopyRows number(long value) {
        separator();
        out.append(value);
        return this;
    }

    CopyRows bool(boolean value) {
        separator();
        out.append(value ? 't' : 'f');
        return this;
    }

    void endRow() {
        out.append('\n');
        firstField = true;
    }

    String drain() {
        String s = out.toString();
        out.setLength(0);
        return s;
    }

    private void separator() {
        if (!firstField) {
            out.append('\t');
        }
        firstField = false;
    }
}
