package credit.exchange.routes.query;

import credit.exchange.routes.access.AccessEvents;
import credit.exchange.routes.api.CsvExport;
import credit.exchange.routes.audit.AuditWriter;
import credit.exchange.routes.identifier.IdentifierCheck;
import credit.exchange.routes.identifier.ResidentIdNumber;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.RecordCategory;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.store.CategoryCatalogue;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.LatestVersions;
import credit.exchange.security.Classification;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessContext;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.Disclosure;
import credit.exchange.security.access.SubjectAuthorisation;
import credit.exchange.security.identity.PersonalIdProtector;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Local queries on the credit store: by USCC, by resident ID number, by name prefix. Which
 * classes the caller may read, and how much of each record it sees, is asked of the
 * {@link AccessPolicy}; this service only applies the answer.
 */
public final class LocalQueryService {

    public static final int MAX_PAGE_SIZE = 200;
    private static final int MIN_NAME_PREFIX = 2;

    private final Database database;
    private final CategoryCatalogue catalogue;
    private final ShownRecords shown;
    private final AccessPolicy policy;
    private final PersonalIdProtector protector;
    private final AccessEvents events;
    private final ReceivedRecordSource received;
    private final Clock clock;

    /**
     * @param events where every decision is recorded (the audit trail); a query answers only once its decisions are durable
     * @param clock whose day decides which records are past their publication end
     */
    public LocalQueryService(Database database, CategoryCatalogue catalogue, AccessPolicy policy, PersonalIdProtector protector,
                             AccessEvents events, Clock clock) {
        this(database, catalogue, policy, protector, events, ReceivedRecordSource.NONE, clock);
    }

    /** @param received the records other nodes handed this one, which {@link #byUsccWithReceived} answers too */
    public LocalQueryService(Database database, CategoryCatalogue catalogue, AccessPolicy policy, PersonalIdProtector protector,
                             AccessEvents events, ReceivedRecordSource received, Clock clock) {
        this.clock = clock;
        this.database = database;
        this.catalogue = catalogue;
        this.shown = new ShownRecords(catalogue);
        this.policy = policy;
        this.protector = protector;
        this.events = events;
        this.received = received;
    }

    /**
     * Why a query about one subject is asked, and on which of the subject's authorisations it
     * relies for class B: what the decision point weighs beyond who asks; and, for a partner's
     * query, the end user the partner vouches for ({@code requestedBy}), whom the access events
     * name beside the partner.
     */
    public record Basis(String purpose, Optional<SubjectAuthorisation> authorisation, Set<String> datasets, String requestedBy) {
        public static final Basis NONE = new Basis(null, Optional.empty(), Set.of());

        public Basis(String purpose, Optional<SubjectAuthorisation> authorisation, Set<String> datasets) {
            this(purpose, authorisation, datasets, null);
        }

        /**
         * @param datasets the datasets the query asks for; empty: whatever the caller may read.
         *        Named datasets must all be readable, or the query is refused with the first
         *        denial's code and answers no data at all.
         */
        public Basis {
            datasets = Set.copyOf(datasets);
            requestedBy = requestedBy == null || requestedBy.isBlank() ? null
                    : requestedBy.strip().substring(0, Math.min(128, requestedBy.strip().length()));
        }
    }

    /** A query as the store reads it: whose records, described for the answer and the audit, and under which context. */
    private record Question(String description, Optional<AccessContext> context, Basis basis, LatestVersions.Match match,
                            String argument, Optional<String> receivedOf) {
    }

    /** The decision point's decisions for one query, what they let the caller read, and their access events on the way to the trail. */
    private record Decided(Map<String, Map.Entry<Classification, AccessDecision>> decisions, Map<String, Disclosure> readable,
                           AuditWriter.Pending recorded) {
    }

    public RecordPage byUscc(Caller caller, String uscc, int page, int size) {
        return byUscc(caller, uscc, Basis.NONE, page, size);
    }

    public RecordPage byUscc(Caller caller, String uscc, Basis basis, int page, int size) {
        return byUsccRecorded(caller, uscc, basis, page, size).answer();
    }

    /**
     * As {@link #byUscc(Caller, String, Basis, int, int)}, returning as soon as the page is read, its
     * access event still on its way: not to be passed on before {@link Recorded#event} is awaited. A
     * query refused (or failing) returns its refusal only once its event is durable, as before.
     */
    public Recorded<RecordPage> byUsccRecorded(Caller caller, String uscc, Basis basis, int page, int size) {
        return query(caller, question(caller, RecordQuery.uscc(uscc, basis), false), page, size);
    }

    /**
     * As {@link #byUscc(Caller, String, Basis, int, int)}, with the records other nodes handed this
     * one (a provincial node's pulled deliveries) in {@link RecordPage#received}: under the same
     * access decisions and field filter, each with its source. Pages run through this node's own
     * records first, then the received ones. Partners' queries are answered without them: what a
     * city handed the province is not the province's to pass on.
     */
    public RecordPage byUsccWithReceived(Caller caller, String uscc, Basis basis, int page, int size) {
        return page(caller, RecordQuery.uscc(uscc, basis), page, size);
    }

    public RecordPage byResidentId(Caller caller, String residentId, int page, int size) {
        return byResidentId(caller, residentId, Basis.NONE, page, size);
    }

    /** The number is used only to compute its keyed hash; it is neither logged nor echoed. */
    public RecordPage byResidentId(Caller caller, String residentId, Basis basis, int page, int size) {
        return page(caller, RecordQuery.residentId(residentId, basis), page, size);
    }

    public RecordPage byNamePrefix(Caller caller, String prefix, int page, int size) {
        return page(caller, RecordQuery.namePrefix(prefix), page, size);
    }

    /** One page of a local caller's query (by USCC: with the received records). */
    public RecordPage page(Caller caller, RecordQuery query, int page, int size) {
        return query(caller, question(caller, query, true), page, size).answer();
    }

    /**
     * Every record the caller may read for the query, for an export: the pages of the JSON answer,
     * walked here under one set of access decisions (recorded once), as one page holding them all
     * ({@code hasMore} false, {@code size} the limit). More than {@code max} is E_EXPORT_TOO_LARGE,
     * with nothing read.
     */
    public RecordPage all(Caller caller, RecordQuery query, int max) {
        Question q = question(caller, query, true);
        Decided decided = decide(caller, q);
        try (Connection c = database.connection()) {
            LocalDate today = RecordStatus.today(clock);
            long own = LatestVersions.count(c, q.match(), q.argument(), decided.readable().keySet(), today);
            long total = own + receivedCount(c, q, decided);
            if (total > max) {
                throw CsvExport.tooLarge(total, max, "a USCC instead of a name, or datasets=…");
            }
            List<CreditRecord> records = new ArrayList<>();
            List<ReceivedRecord> received = new ArrayList<>();
            List<Withheld> withheld = List.of();
            for (int page = 0; ; page++) {
                RecordPage read = read(c, q, decided, today, own, page, MAX_PAGE_SIZE, page == 0 ? withholding(q, decided) : Map.of());
                withheld = page == 0 ? read.withheld() : withheld;
                records.addAll(read.records());
                received.addAll(read.received());
                if (records.size() + received.size() > max) {
                    throw CsvExport.tooLarge(records.size() + received.size(), max, "records were added while it was read");
                }
                if (!read.hasMore()) {
                    break;
                }
            }
            return new RecordPage(q.description(), 0, max, records.size() + received.size(), false, records, received,
                    withheld, decided.readable().keySet().stream().sorted().toList());
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the credit store does not answer; retry later", e);
        } finally {
            decided.recorded().await(); // after the connection went back: the audit writer takes one from the same pool
        }
    }

    /** The store key of the query's subject (U:USCC, or P: and a keyed hash) for its audit events; none for a name prefix. */
    public Optional<String> subjectKey(Caller caller, RecordQuery query) {
        return question(caller, query, false).context().map(AccessContext::subject);
    }

    /** The query as the store reads it; E_IDENTIFIER_INVALID or E_FIELD_INVALID for a code or prefix that cannot be asked. */
    private Question question(Caller caller, RecordQuery query, boolean withReceived) {
        String value = query.value() == null ? "" : query.value().strip();
        switch (query.kind()) {
            case USCC -> {
                String code = value.toUpperCase(Locale.ROOT);
                IdentifierCheck check = Uscc.check(code);
                if (!check.valid()) {
                    throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "USCC " + check.reason());
                }
                return new Question("uscc " + code, context("U:" + code, query.basis()), query.basis(), LatestVersions.Match.uscc(), code,
                        withReceived ? Optional.of(code) : Optional.empty());
            }
            case RESIDENT_ID -> {
                String id = value.toUpperCase(Locale.ROOT);
                IdentifierCheck check = ResidentIdNumber.check(id);
                if (!check.valid()) {
                    throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "resident " + check.reason());
                }
                String key = "P:" + protector.lookupHashHex(id);
                return new Question("resident ID " + ResidentIdNumber.mask(id), context(key, query.basis()), query.basis(),
                        LatestVersions.Match.subjectKey(), key, Optional.empty());
            }
            default -> {
                if (value.codePointCount(0, value.length()) < MIN_NAME_PREFIX) {
                    throw new CodedException(ErrorCode.E_FIELD_INVALID, "a name prefix needs at least " + MIN_NAME_PREFIX + " characters");
                }
                String pattern = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                return new Question("name " + value + "*", Optional.empty(), Basis.NONE, nameMatch(caller), pattern, Optional.empty());
            }
        }
    }

    private static Optional<AccessContext> context(String subjectKey, Basis basis) {
        return Optional.of(new AccessContext(subjectKey, basis.purpose(), basis.authorisation(), Instant.now()));
    }

    /** By name, a natural person is found only where the caller sees the name: a masked match (黄*) would confirm the full name. */
    private LatestVersions.Match nameMatch(Caller caller) {
        Set<String> namesShown = new java.util.TreeSet<>();
        readable(decisions(caller, Optional.empty())).forEach((dataset, disclosure) -> {
            if (!disclosure.personalDataMasked()) {
                namesShown.add(dataset);
            }
        });
        return LatestVersions.Match.namePrefix(namesShown);
    }

    /** One page, read while its access event is committed; the event is awaited here only if the query fails. */
    private Recorded<RecordPage> query(Caller caller, Question q, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        Decided decided = decide(caller, q);
        RecordPage answer;
        try (Connection c = database.connection()) {
            LocalDate today = RecordStatus.today(clock);
            RecordPage read = read(c, q, decided, today, -1, page, size, withholding(q, decided));
            // the total the caller may read, for 共 N 条 and the page count: a first page that holds it all says it; else one count
            long total = page == 0 && !read.hasMore() ? read.records().size() + read.received().size()
                    : LatestVersions.count(c, q.match(), q.argument(), decided.readable().keySet(), today) + receivedCount(c, q, decided);
            answer = new RecordPage(q.description(), page, size, total, read.hasMore(), read.records(), read.received(),
                    read.withheld(), decided.readable().keySet().stream().sorted().toList());
        } catch (SQLException | RuntimeException e) {
            decided.recorded().await(); // as all(): never while holding a connection the audit writer may be waiting for
            if (e instanceof SQLException) {
                throw new CodedException(ErrorCode.E_UNAVAILABLE, "the credit store does not answer; retry later", e);
            }
            throw (RuntimeException) e;
        }
        return new Recorded<>(answer, decided.recorded());
    }

    /** The decisions for every dataset, handed to the audit trail (committed while the store is read); named datasets must all be readable. */
    private Decided decide(Caller caller, Question q) {
        Set<String> asked = q.basis().datasets();
        Map<String, Map.Entry<Classification, AccessDecision>> decisions = decisions(caller, q.context());
        Map<String, Disclosure> readable = readable(decisions);
        AuditWriter.Pending recorded = events.submit(caller, q.context().orElse(new AccessContext(null, null, Optional.empty(), Instant.now())),
                decisions, Optional.ofNullable(q.basis().requestedBy()).map(user -> "on behalf of " + user).orElse(null));
        if (!asked.isEmpty()) {
            recorded.await();
            for (String dataset : asked) {
                var decided = decisions.get(dataset);
                if (decided == null) {
                    throw new CodedException(ErrorCode.E_UNKNOWN_TYPE, "this node keeps no dataset '" + dataset + "'");
                }
                if (decided.getValue() instanceof AccessDecision.Deny deny) {
                    throw new CodedException(deny.code(), "dataset " + dataset + " (class " + decided.getKey()
                            + ") is not readable by " + caller.name() + ": " + deny.code().meaning());
                }
            }
            readable.keySet().retainAll(asked);
        }
        return new Decided(decisions, readable, recorded);
    }

    private long receivedCount(Connection c, Question q, Decided decided) {
        return q.receivedOf().map(uscc -> received.count(c, uscc, decided.readable().keySet())).orElse(0L);
    }

    /**
     * One page of what the caller may read: this node's own records, then the received ones ({@code own}: how many own, -1
     * unknown); with what the page withholds, counted in the same round trip as the page, for the datasets of {@code withholding}.
     */
    private RecordPage read(Connection c, Question q, Decided decided, LocalDate today, long own, int page, int size,
                            Map<String, ErrorCode> withholding) throws SQLException {
        Map<String, Disclosure> readable = decided.readable();
        LatestVersions.Page latest = LatestVersions.page(c, q.match(), q.argument(), readable.keySet(), today, size + 1,
                (long) page * size, withholding.keySet());
        List<CreditRecord> stored = latest.records();
        boolean more = stored.size() > size;
        List<CreditRecord> records = new ArrayList<>(Math.min(size, stored.size()));
        for (CreditRecord r : stored.subList(0, Math.min(size, stored.size()))) {
            records.add(shown.own(r, readable));
        }
        List<ReceivedRecord> receivedHere = List.of();
        if (q.receivedOf().isPresent() && !more) {
            // this node's own records end on this page: the received ones follow them
            long ownTotal = !records.isEmpty() || page == 0 ? (long) page * size + records.size()
                    : own >= 0 ? own : LatestVersions.count(c, q.match(), q.argument(), readable.keySet(), today);
            int room = size - records.size();
            List<ReceivedRecord> fetched = received.byUscc(c, q.receivedOf().get(), readable.keySet(),
                    Math.max(0, (long) page * size - ownTotal), room + 1);
            more = fetched.size() > room;
            receivedHere = fetched.stream().limit(room).map(r -> shown.received(r, readable)).toList();
        }
        List<Withheld> withheld = new ArrayList<>();
        latest.servedPerDataset().forEach((dataset, served) -> withheld.add(Withheld.of(withholding.get(dataset), served)));
        return new RecordPage(q.description(), page, size, 0, more, records, receivedHere, Withheld.merge(withheld, List.of()), List.of());
    }

    /**
     * The datasets a query withholds, with the denial's code of each: a query about one subject for whatever the caller may
     * read says what it withheld (counts per reason, never records); none for a name, or for named datasets.
     */
    private static Map<String, ErrorCode> withholding(Question q, Decided decided) {
        if (q.context().isEmpty() || !q.basis().datasets().isEmpty()) {
            return Map.of();
        }
        Map<String, ErrorCode> denied = new HashMap<>();
        decided.decisions().forEach((dataset, decision) -> {
            if (decision.getValue() instanceof AccessDecision.Deny deny) {
                denied.put(dataset, deny.code());
            }
        });
        return denied;
    }

    /** The datasets (record categories) the caller may read, each with how much of a record it sees. */
    public Map<String, Disclosure> readableDatasets(Caller caller) {
        return readable(decisions(caller, Optional.empty()));
    }

    /** The decision point's decision for every dataset of the catalogue, with the dataset's class. */
    private Map<String, Map.Entry<Classification, AccessDecision>> decisions(Caller caller, Optional<AccessContext> context) {
        Map<String, Map.Entry<Classification, AccessDecision>> out = new java.util.LinkedHashMap<>();
        for (RecordCategory category : catalogue.all()) {
            AccessDecision decision = context.isPresent()
                    ? policy.decide(caller, category.classification(), category.code(), context.get())
                    : policy.decide(caller, category.classification(), category.code());
            out.put(category.code(), Map.entry(category.classification(), decision));
        }
        return out;
    }

    private static Map<String, Disclosure> readable(Map<String, Map.Entry<Classification, AccessDecision>> decisions) {
        Map<String, Disclosure> readable = new HashMap<>();
        for (var e : decisions.entrySet()) {
            if (e.getValue().getValue() instanceof AccessDecision.Allow allow) {
                readable.put(e.getKey(), allow.disclosure());
            }
        }
        return readable;
    }
}
