package credit.exchange.routes.query;

/**
 * What a local query asks about, for {@link LocalQueryService#page} and {@link LocalQueryService#all}:
 * a legal person by USCC (with the records other nodes handed this node), a natural person by
 * resident ID number (never shown, not by {@link #toString} either), or subjects by name prefix;
 * and, about one subject, why it is asked ({@link LocalQueryService.Basis}).
 */
public record RecordQuery(Kind kind, String value, LocalQueryService.Basis basis) {

    public enum Kind { USCC, RESIDENT_ID, NAME_PREFIX }

    public RecordQuery {
        basis = basis == null ? LocalQueryService.Basis.NONE : basis;
    }

    public static RecordQuery uscc(String uscc, LocalQueryService.Basis basis) {
        return new RecordQuery(Kind.USCC, uscc, basis);
    }

    public static RecordQuery residentId(String residentId, LocalQueryService.Basis basis) {
        return new RecordQuery(Kind.RESIDENT_ID, residentId, basis);
    }

    public static RecordQuery namePrefix(String prefix) {
        return new RecordQuery(Kind.NAME_PREFIX, prefix, LocalQueryService.Basis.NONE);
    }

    @Override
    public String toString() {
        return kind == Kind.RESIDENT_ID ? "resident ID (not shown)" : kind + " " + value;
    }
}
